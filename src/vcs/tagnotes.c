/* tagnotes.c: the lines `goldset push` and `goldset pull` print about
 * tags (see tagnotes.h).  A tag is never overwritten on either side, so a
 * conflict line says what each side has and how to settle it by hand. */
#include "vcs/tagnotes.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "base/util.h"

#define TAGNOTES_NAMES 10   /* names listed before "and N more" */

char *tagnotes_copied(const struct vcs_tags *t)
{
	struct sbuf b = {0};
	size_t n = vcs_tags_count(t->copied);
	if (!n) return xstrdup("");
	sb_addf(&b, "%zu tag%s: ", n, n == 1 ? "" : "s");
	for (size_t i = 0; i < n && i < TAGNOTES_NAMES; i++) {
		char *name = text_escape(g_array_index(t->copied, struct vcs_tag, i).name);
		sb_addf(&b, "%s%s", i ? ", " : "", name);
		free(name);
	}
	if (n > TAGNOTES_NAMES) sb_addf(&b, " and %zu more", n - TAGNOTES_NAMES);
	return sb_take(&b);
}

static const char zeros[41] = "0000000000000000000000000000000000000000";

void tagnotes_conflicts(const struct vcs_tags *t, const char *remote, int pushing)
{
	char *rm = text_escape(remote);
	for (size_t i = 0; i < vcs_tags_count(t->conflicts); i++) {
		const struct vcs_tag *c = &g_array_index(t->conflicts, struct vcs_tag, i);
		char *name = text_escape(c->name);
		if (pushing && strcmp(c->there, zeros) == 0)
			fprintf(stderr, "goldset: tag %s not pushed: %s refused it (it has a tag of that name "
				"already); tags are never overwritten\n", name, rm);
		else if (pushing)
			fprintf(stderr, "goldset: tag %s not pushed: %s has it on %.7s, here it is on %.7s; tags "
				"are never overwritten (rename yours: git tag NEW %s && git tag -d %s)\n", name, rm,
				c->there, c->here, name, name);
		else
			fprintf(stderr, "goldset: tag %s kept as it is here (on %.7s); %s has it on %.7s; tags "
				"are never overwritten (to take theirs: git tag -d %s, then goldset pull)\n", name,
				c->here, rm, c->there, name);
		free(name);
	}
	free(rm);
}

void tagnotes_fetched(const struct vcs_tags *t, const char *remote)
{
	if (vcs_tags_count(t->copied)) {
		char *list = tagnotes_copied(t), *rm = text_escape(remote), *colon = strchr(list, ':');
		printf("fetched %.*s from %s%s\n", (int)(colon - list), list, rm, colon);
		free(rm);
		free(list);
	}
	tagnotes_conflicts(t, remote, 0);
}
