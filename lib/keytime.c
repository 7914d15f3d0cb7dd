/*
 * See keytime.h.  Both files are read line by line; only the six
 * timing fields of keytime.h are looked at (Created, Revoke and the
 * rest are not).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "dnstime.h"
#include "keytime.h"

static const char *const names[KEYTIME_N] = {
	"Publish", "Activate", "Inactive", "Delete", "SyncPublish", "SyncDelete"
};

const char *
keytime_name(int i)
{
	return i >= 0 && i < KEYTIME_N ? names[i] : "?";
}

/* One line: "Name: YYYYMMDDHHmmSS", after "; " in a .key file, the rest
 * of the line (the date in words) ignored. */
static int
read_line(const char *line, bool comment, const char *path,
    unsigned long n, struct keytime *kt, bool *seen, struct diag *d)
{
	char digits[16];
	size_t len, k;
	int i;

	if (comment) {
		if (*line != ';')
			return 0;
		for (line++; *line == ' ' || *line == '\t'; line++)
			;
	}
	for (i = 0; i < KEYTIME_N; i++) {
		len = strlen(names[i]);
		if (strncmp(line, names[i], len) == 0 && line[len] == ':')
			break;
	}
	if (i == KEYTIME_N || seen[i])
		return 0;
	for (line += len + 1; *line == ' ' || *line == '\t'; line++)
		;
	for (k = 0; k < sizeof(digits) - 1 && isdigit((unsigned char)line[k]);
	    k++)
		digits[k] = line[k];
	digits[k] = '\0';
	if (k != 14 || (line[k] != '\0' && !isspace((unsigned char)line[k])) ||
	    dnstime_parse(digits, &kt->t[i]) != 0) {
		diag_set(d, path, n, "%s: not a time (YYYYMMDDHHmmSS)",
		    names[i]);
		return -1;
	}
	kt->set[i] = seen[i] = true;
	return 0;
}

/* The times of one file; a file that is not there gives none. */
static int
read_file(const char *path, bool comment, struct keytime *kt,
    struct diag *d)
{
	char line[1024];
	bool seen[KEYTIME_N] = { false };
	unsigned long n = 0;
	FILE *f;
	int rc = 0;

	if (path == NULL)
		return 0;
	if ((f = fopen(path, "r")) == NULL) {
		if (errno == ENOENT)
			return 0;
		diag_set(d, path, 0, "%s", strerror(errno));
		return -1;
	}
	/* A time given in the .private file is not read again here. */
	memcpy(seen, kt->set, sizeof(seen));
	while (rc == 0 && fgets(line, sizeof(line), f) != NULL) {
		n++;
		line[strcspn(line, "\r\n")] = '\0';
		rc = read_line(line, comment, path, n, kt, seen, d);
	}
	if (rc == 0 && ferror(f)) {
		diag_set(d, path, 0, "read error");
		rc = -1;
	}
	fclose(f);
	return rc;
}

int
keytime_load(const char *private_path, const char *public_path,
    struct keytime *kt, struct diag *d)
{
	memset(kt, 0, sizeof(*kt));
	if (read_file(private_path, false, kt, d) != 0 ||
	    read_file(public_path, true, kt, d) != 0)
		return -1;
	return 0;
}

/* Between Publish and Delete: Publish <= now < Delete. */
bool
keytime_published(const struct keytime *kt, int64_t now)
{
	return (!kt->set[KEYTIME_PUBLISH] || kt->t[KEYTIME_PUBLISH] <= now) &&
	    (!kt->set[KEYTIME_DELETE] || now < kt->t[KEYTIME_DELETE]);
}

/* Between Activate and Inactive: Activate <= now < Inactive. */
bool
keytime_active(const struct keytime *kt, int64_t now)
{
	return (!kt->set[KEYTIME_ACTIVATE] ||
	    kt->t[KEYTIME_ACTIVATE] <= now) &&
	    (!kt->set[KEYTIME_INACTIVE] || now < kt->t[KEYTIME_INACTIVE]);
}

/* Between SyncPublish and SyncDelete: SyncPublish <= now < SyncDelete. */
bool
keytime_synced(const struct keytime *kt, int64_t now)
{
	return (!kt->set[KEYTIME_SYNCPUBLISH] ||
	    kt->t[KEYTIME_SYNCPUBLISH] <= now) &&
	    (!kt->set[KEYTIME_SYNCDELETE] || now < kt->t[KEYTIME_SYNCDELETE]);
}
