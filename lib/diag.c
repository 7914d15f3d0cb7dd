/*
 * The one place that writes to standard error.  See diag.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

static const char *prog = "berokit";
static int verbose;

void
diag_vset(struct diag *d, const char *file, unsigned long line,
    const char *fmt, va_list ap)
{
	if (d == NULL)
		return;
	snprintf(d->file, sizeof(d->file), "%s", file ? file : "");
	d->line = line;
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
}

/*
 * The reason a check refuses something, for its caller's message: into
 * why (size octets) when the caller asked for one (why not NULL).
 */
void
diag_why(char *why, size_t size, const char *fmt, ...)
{
	va_list ap;

	if (why == NULL || size == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(why, size, fmt, ap);
	va_end(ap);
}

void
diag_set(struct diag *d, const char *file, unsigned long line,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vset(d, file, line, fmt, ap);
	va_end(ap);
}

void
diag_clear(struct diag *d)
{
	d->file[0] = '\0';
	d->line = 0;
	d->msg[0] = '\0';
}

void
diag_init(const char *argv0)
{
	const char *p;

	if (argv0 == NULL)
		return;
	p = strrchr(argv0, '/');
	prog = p ? p + 1 : argv0;
}

const char *
diag_prog(void)
{
	return prog;
}

void
diag_verbose(int level)
{
	verbose = level;
}

void
diag_print(const struct diag *d)
{
	if (d->file[0] != '\0' && d->line > 0)
		fprintf(stderr, "%s: %s:%lu: %s\n", prog, d->file, d->line,
		    d->msg);
	else if (d->file[0] != '\0')
		fprintf(stderr, "%s: %s: %s\n", prog, d->file, d->msg);
	else
		fprintf(stderr, "%s: %s\n", prog, d->msg);
}

void
diag_die(const struct diag *d)
{
	diag_print(d);
	exit(2);
}

static void
vmsg(const char *tag, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: %s", prog, tag);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
diag_msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
}

void
diag_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("warning: ", fmt, ap);
	va_end(ap);
}

void
diag_info(const char *fmt, ...)
{
	va_list ap;

	if (!verbose)
		return;
	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
}

void
diag_fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
	exit(2);
}
