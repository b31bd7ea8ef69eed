/* embedded.h: files compiled into the binary by tools/embed.sh (shipped
 * rubrics under "rubrics/", the demo workspace under "examples/demo/"). */
#ifndef GOLDSET_EMBEDDED_H
#define GOLDSET_EMBEDDED_H
#include <stddef.h>
struct embedded_file { const char *path; const char *data; size_t size; };
extern const struct embedded_file embedded_files[];
#endif
