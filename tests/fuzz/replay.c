/* replay.c: a main() for the fuzz targets without libFuzzer. Linked with one
 * tests/fuzz/fuzz_*.c (and the sources it tests), it runs each file named
 * on the command line (or every regular file in a named folder) through
 * LLVMFuzzerTestOneInput once, each in a child process so that one crash
 * does not hide the next. Prints "# ok FILE" or "not ok FILE (exit N)" per
 * file (the sanitizer's report goes to stderr), then "# replayed N files,
 * M failed"; exits 1 if any failed. This is how `make check` replays
 * tests/fuzz/regress/<target>/ (crashes found earlier) and the seed corpus
 * under gcc's AddressSanitizer and UBSan, with no clang needed. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		printf("not ok - %s: cannot open\n", path);
		return 1;
	}
	size_t cap = 4096, len = 0, n;
	uint8_t *buf = malloc(cap);
	while ((n = fread(buf + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len == cap) buf = realloc(buf, cap *= 2);
	}
	fclose(f);
	/* an exactly sized copy, so that ASan sees any read past the end */
	uint8_t *exact = malloc(len ? len : 1);
	memcpy(exact, buf, len);
	free(buf);
	LLVMFuzzerTestOneInput(exact, len);
	free(exact);
	return 0;
}

/* runs one file in a child; 1 if it failed */
static int run_child(const char *path)
{
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid < 0) return run_file(path);
	if (pid == 0) exit(run_file(path));
	int st;
	if (waitpid(pid, &st, 0) < 0) return 1;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
		printf("# ok %s\n", path);
		return 0;
	}
	if (WIFSIGNALED(st)) printf("not ok %s (signal %d)\n", path, WTERMSIG(st));
	else printf("not ok %s (exit %d)\n", path, WEXITSTATUS(st));
	return 1;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

int main(int argc, char **argv)
{
	int bad = 0, files = 0;
	for (int i = 1; i < argc; i++) {
		struct stat sb;
		if (stat(argv[i], &sb) != 0) continue;
		if (!S_ISDIR(sb.st_mode)) {
			bad += run_child(argv[i]);
			files++;
			continue;
		}
		struct dirent **names;
		int k = scandir(argv[i], &names, NULL, by_name);
		for (int j = 0; j < k; j++) {
			char path[4096];
			snprintf(path, sizeof path, "%s/%s", argv[i], names[j]->d_name);
			if (names[j]->d_name[0] != '.' && stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) {
				bad += run_child(path);
				files++;
			}
			free(names[j]);
		}
		free(names);
	}
	printf("# replayed %d files, %d failed\n", files, bad);
	return bad ? 1 : 0;
}
