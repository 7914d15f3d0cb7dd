/*
 * Diagnostics: one message shape for every program.
 *
 * Library functions never print; they fill a struct diag with the place
 * (file and line, when there is one) and the text, and return a status.
 * Programs print with the diag_* family below, which is the only code
 * that writes to standard error:
 *
 *	prog: message
 *	prog: file:line: message
 *	prog: warning: message
 */
#ifndef DIAG_H
#define DIAG_H

#include <stdarg.h>
#include <stddef.h>

struct diag {
	char		 file[256];	/* empty when there is no file */
	unsigned long	 line;		/* 0 when there is no line */
	char		 msg[768];
};

void		 diag_set(struct diag *, const char *, unsigned long,
		    const char *, ...) __attribute__((format(printf, 4, 5)));
void		 diag_vset(struct diag *, const char *, unsigned long,
		    const char *, va_list);
void		 diag_clear(struct diag *);
void		 diag_why(char *, size_t, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

void		 diag_init(const char *);
const char	*diag_prog(void);
void		 diag_print(const struct diag *);
void		 diag_die(const struct diag *) __attribute__((noreturn));
void		 diag_msg(const char *, ...)
		    __attribute__((format(printf, 1, 2)));
void		 diag_warn(const char *, ...)
		    __attribute__((format(printf, 1, 2)));
void		 diag_fatal(const char *, ...)
		    __attribute__((noreturn, format(printf, 1, 2)));
void		 diag_verbose(int);
void		 diag_info(const char *, ...)
		    __attribute__((format(printf, 1, 2)));

#endif
