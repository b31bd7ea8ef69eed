# goldset build.
#   make            ./goldset (optimised, warnings are errors)
#   make check      the layer lint (tools/lint.sh), a second build with
#                   AddressSanitizer + UBSan, then every test
#   make bench      benchmarks against the tools a user would otherwise use
#   make install    PREFIX=/usr/local DESTDIR=
#   make man        man/goldset-COMMAND.1 again after goldset.1 or an option changed
# Every .c under src/ is compiled; every tests/unit/test_*.c is a cmocka
# program linked with all of src/ but main.c; every tests/sh/t-*.sh is a
# shell test run against the sanitizer build.  Nothing needs listing here.

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
CFLAGS  ?= -O2 -g
PKGS    := ncursesw sqlite3 libcjson libxxhash glib-2.0 libutf8proc
# libgit2 is compiled against but not linked: src/vcs/vcs.c loads it with dlopen
# when a git command first needs it (see include/vcs/vcs_libgit2.h)
STD     := -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE
CPPFLAGS += -Iinclude -Ibuild/gen $(shell pkg-config --cflags $(PKGS) libgit2)
LDLIBS  := $(shell pkg-config --libs $(PKGS)) -lcsv -lm   # libcsv ships no .pc file
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
VERSION := $(shell cat VERSION 2>/dev/null || echo 0.1.0)

SRC      := $(sort $(wildcard src/*.c src/*/*.c)) build/gen/embedded.c
LIBSRC   := $(filter-out src/cmd/main.c,$(SRC))
UNIT     := $(sort $(wildcard tests/unit/test_*.c))
EMBEDDED := $(sort $(wildcard rubrics/*.json examples/*/golden/*.jsonl examples/*/rubrics/*.json examples/*/judge.jsonl \
            examples/*/labels/*/*.jsonl examples/*/batches/*.jsonl))

REL_OBJ  := $(SRC:%.c=build/rel/%.o)
ASAN_OBJ := $(SRC:%.c=build/asan/%.o)
ASAN_LIB := $(LIBSRC:%.c=build/asan/%.o)
UNIT_BIN := $(UNIT:tests/unit/%.c=build/asan/tests/%)

.PHONY: all check lint unit bench fuzz soak install clean man
all: goldset

build/gen/embedded.c: tools/embed.sh $(EMBEDDED)
	@mkdir -p $(@D)
	@sh tools/embed.sh $(EMBEDDED) > $@.tmp && mv $@.tmp $@

build/rel/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(STD) $(CPPFLAGS) $(CFLAGS) -DGOLDSET_VERSION='"$(VERSION)"' -MMD -MP -c $< -o $@

build/asan/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC asan $<"
	@$(CC) $(STD) $(CPPFLAGS) -O1 -g $(SAN) -DGOLDSET_VERSION='"$(VERSION)"' -MMD -MP -c $< -o $@

goldset: $(REL_OBJ)
	@echo "  LD      $@"
	@$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

build/asan/goldset: $(ASAN_OBJ)
	@echo "  LD asan $@"
	@$(CC) -g $(SAN) -o $@ $^ $(LDLIBS)

build/asan/tests/%: tests/unit/%.c $(ASAN_LIB)
	@mkdir -p $(@D)
	@echo "  TEST    $@"
	@$(CC) $(STD) $(CPPFLAGS) $(shell pkg-config --cflags cmocka) -O1 -g $(SAN) -o $@ $^ $(LDLIBS) $(shell pkg-config --libs cmocka)

unit: $(UNIT_BIN)

lint:
	sh tools/lint.sh

check: lint goldset build/asan/goldset $(UNIT_BIN)
	GOLDSET=$(CURDIR)/build/asan/goldset sh tests/run.sh $(UNIT_BIN)

bench: goldset
	sh tests/bench/run.sh

fuzz:
	sh tests/fuzz/run.sh long

soak: goldset
	SOAK=long GOLDSET=$(CURDIR)/goldset sh tests/sh/t-soak.sh

# the page of each command (man/goldset-COMMAND.1) from man/goldset.1 and its --help
man: goldset
	sh tools/manpages.sh ./goldset man

install: goldset
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(DESTDIR)$(PREFIX)/share/man/man5 $(DESTDIR)$(PREFIX)/share/goldset/rubrics
	install -m 755 goldset $(DESTDIR)$(PREFIX)/bin/goldset
	install -m 644 man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 man/*.5 $(DESTDIR)$(PREFIX)/share/man/man5/
	install -m 644 rubrics/*.json $(DESTDIR)$(PREFIX)/share/goldset/rubrics/

clean:
	rm -rf build goldset

-include $(REL_OBJ:.o=.d) $(ASAN_OBJ:.o=.d)
