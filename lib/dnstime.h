/*
 * Time in DNSSEC: 32-bit seconds since the epoch compared with serial
 * number arithmetic (RFC 1982, as RFC 4034 §3.1.5 requires for
 * signature times), and the forms the options take: now, an absolute
 * time, an offset from now, a duration.
 */
#ifndef DNSTIME_H
#define DNSTIME_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

int	 dnstime_parse(const char *, int64_t *);
int	 dnstime_arg(const char *, int64_t, int64_t *);
int	 dnstime_duration(const char *, int64_t *);
int	 serial_cmp(uint32_t, uint32_t);
bool	 dnstime_within(uint32_t, uint32_t, int64_t);
uint32_t dnstime_wire(int64_t);

#endif
