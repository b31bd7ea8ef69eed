/* libcsv.h: the system's libcsv header, whose name <csv.h> this tree's
 * own include/csv.h takes first on the include path: #include_next goes on
 * past include/ and finds it. */
#ifndef GOLDSET_LIBCSV_H
#define GOLDSET_LIBCSV_H
#include_next <csv.h>
#endif
