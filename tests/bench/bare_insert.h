/* bare_insert.h: the baseline of the save benchmark (bare_insert.c), called
 * by label_save.c so that both sides run in one process, save by save. */
#ifndef GOLDSET_BENCH_BARE_INSERT_H
#define GOLDSET_BENCH_BARE_INSERT_H
struct bare;
struct bare *bare_open(const char *path);   /* exits on failure */
double bare_save(struct bare *b, int i);     /* one durable label row; its latency in us */
void bare_close(struct bare *b);
#endif
