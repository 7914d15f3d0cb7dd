/*
 * The shape of the RDATA of the types whose fields the tools read: a
 * known type given in RFC 3597 generic form ("\# length hex") reaches
 * the library as its wire form, unchecked by libzscanner.
 */
#ifndef RDSHAPE_H
#define RDSHAPE_H

#include <stddef.h>
#include <stdint.h>

/* Room for the reason rdshape_check() gives. */
#define RDSHAPE_WHY	160

int	rdshape_check(uint16_t, const uint8_t *, size_t, char *, size_t);

#endif
