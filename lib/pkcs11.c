/*
 * See pkcs11.h.  The module's function list is taken from its
 * C_GetFunctionList; a module is loaded once however many keys use it,
 * and finalised (C_Finalize) when the last of them is freed.  It is not
 * unloaded: a module may leave threads or exit handlers behind it
 * (p11-kit keeps its modules loaded for that reason), and a leak report
 * of the sanitizers can name a module only while it is mapped
 * (t/softhsm.supp).
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <p11-kit/p11-kit.h>
#include <p11-kit/pkcs11.h>
#include <sodium.h>

#include "diag.h"
#include "p11uri.h"
#include "pkcs11.h"
#include "wire.h"

/* p11-kit's proxy: every module of its configuration (pkcs11.conf(5)). */
#define DEFAULT_MODULE	"p11-kit-proxy.so"
#define PIN_MAX		256
#define ATTR_MAX	1024

struct module {
	char			*path;
	void			*dl;
	CK_FUNCTION_LIST_PTR	 f;
	unsigned		 refs;
	int			 borrowed;	/* initialised by another */
	struct module		*next;
};

/* Loaded modules: keys are opened and freed by one thread (pkcs11.h). */
static struct module *modules;
static const char *pin_source;

struct pkcs11_key {
	struct module		*m;
	CK_SLOT_ID		 slot;
	CK_SESSION_HANDLE	 own;		/* keeps the login */
	CK_OBJECT_HANDLE	 priv;
	bool			 has_priv;
	CK_KEY_TYPE		 ktype;
	uint8_t			 alg;
	size_t			 siglen, width;
	uint8_t			 pub[PKCS11_PUBKEY_MAX];
	size_t			 publen;
	char			 name[300];	/* token T, object O */
};

struct pkcs11_session {
	const struct pkcs11_key	*k;
	CK_SESSION_HANDLE	 h;
};

static const struct {
	CK_RV		 rv;
	const char	*name;
} ckr_names[] = {
	{ CKR_OK, "CKR_OK" },
	{ CKR_CANCEL, "CKR_CANCEL" },
	{ CKR_HOST_MEMORY, "CKR_HOST_MEMORY" },
	{ CKR_SLOT_ID_INVALID, "CKR_SLOT_ID_INVALID" },
	{ CKR_GENERAL_ERROR, "CKR_GENERAL_ERROR" },
	{ CKR_FUNCTION_FAILED, "CKR_FUNCTION_FAILED" },
	{ CKR_ARGUMENTS_BAD, "CKR_ARGUMENTS_BAD" },
	{ CKR_ATTRIBUTE_SENSITIVE, "CKR_ATTRIBUTE_SENSITIVE" },
	{ CKR_ATTRIBUTE_TYPE_INVALID, "CKR_ATTRIBUTE_TYPE_INVALID" },
	{ CKR_DATA_INVALID, "CKR_DATA_INVALID" },
	{ CKR_DATA_LEN_RANGE, "CKR_DATA_LEN_RANGE" },
	{ CKR_DEVICE_ERROR, "CKR_DEVICE_ERROR" },
	{ CKR_DEVICE_MEMORY, "CKR_DEVICE_MEMORY" },
	{ CKR_DEVICE_REMOVED, "CKR_DEVICE_REMOVED" },
	{ CKR_FUNCTION_CANCELED, "CKR_FUNCTION_CANCELED" },
	{ CKR_FUNCTION_NOT_SUPPORTED, "CKR_FUNCTION_NOT_SUPPORTED" },
	{ CKR_KEY_HANDLE_INVALID, "CKR_KEY_HANDLE_INVALID" },
	{ CKR_KEY_SIZE_RANGE, "CKR_KEY_SIZE_RANGE" },
	{ CKR_KEY_TYPE_INCONSISTENT, "CKR_KEY_TYPE_INCONSISTENT" },
	{ CKR_KEY_FUNCTION_NOT_PERMITTED, "CKR_KEY_FUNCTION_NOT_PERMITTED" },
	{ CKR_MECHANISM_INVALID, "CKR_MECHANISM_INVALID" },
	{ CKR_MECHANISM_PARAM_INVALID, "CKR_MECHANISM_PARAM_INVALID" },
	{ CKR_OBJECT_HANDLE_INVALID, "CKR_OBJECT_HANDLE_INVALID" },
	{ CKR_OPERATION_ACTIVE, "CKR_OPERATION_ACTIVE" },
	{ CKR_OPERATION_NOT_INITIALIZED, "CKR_OPERATION_NOT_INITIALIZED" },
	{ CKR_PIN_INCORRECT, "CKR_PIN_INCORRECT" },
	{ CKR_PIN_INVALID, "CKR_PIN_INVALID" },
	{ CKR_PIN_LEN_RANGE, "CKR_PIN_LEN_RANGE" },
	{ CKR_PIN_EXPIRED, "CKR_PIN_EXPIRED" },
	{ CKR_PIN_LOCKED, "CKR_PIN_LOCKED" },
	{ CKR_SESSION_CLOSED, "CKR_SESSION_CLOSED" },
	{ CKR_SESSION_COUNT, "CKR_SESSION_COUNT" },
	{ CKR_SESSION_HANDLE_INVALID, "CKR_SESSION_HANDLE_INVALID" },
	{ CKR_SESSION_PARALLEL_NOT_SUPPORTED,
	    "CKR_SESSION_PARALLEL_NOT_SUPPORTED" },
	{ CKR_TEMPLATE_INCOMPLETE, "CKR_TEMPLATE_INCOMPLETE" },
	{ CKR_TEMPLATE_INCONSISTENT, "CKR_TEMPLATE_INCONSISTENT" },
	{ CKR_TOKEN_NOT_PRESENT, "CKR_TOKEN_NOT_PRESENT" },
	{ CKR_TOKEN_NOT_RECOGNIZED, "CKR_TOKEN_NOT_RECOGNIZED" },
	{ CKR_USER_ALREADY_LOGGED_IN, "CKR_USER_ALREADY_LOGGED_IN" },
	{ CKR_USER_NOT_LOGGED_IN, "CKR_USER_NOT_LOGGED_IN" },
	{ CKR_USER_PIN_NOT_INITIALIZED, "CKR_USER_PIN_NOT_INITIALIZED" },
	{ CKR_USER_TYPE_INVALID, "CKR_USER_TYPE_INVALID" },
	{ CKR_BUFFER_TOO_SMALL, "CKR_BUFFER_TOO_SMALL" },
	{ CKR_CRYPTOKI_NOT_INITIALIZED, "CKR_CRYPTOKI_NOT_INITIALIZED" },
	{ CKR_CRYPTOKI_ALREADY_INITIALIZED,
	    "CKR_CRYPTOKI_ALREADY_INITIALIZED" },
};

/* A return code by name, or in hexadecimal when it has none here. */
static const char *
ckr_name(CK_RV rv, char *buf, size_t size)
{
	size_t i;

	for (i = 0; i < sizeof(ckr_names) / sizeof(ckr_names[0]); i++)
		if (ckr_names[i].rv == rv)
			return ckr_names[i].name;
	snprintf(buf, size, "CKR 0x%lx", (unsigned long)rv);
	return buf;
}

/* "what: C_Fn: CKR_X" */
static void
fail_rv(struct diag *d, const char *what, const char *fn, CK_RV rv)
{
	char b[32];

	diag_set(d, NULL, 0, "%s: %s: %s", what, fn, ckr_name(rv, b,
	    sizeof(b)));
}

void
pkcs11_pin_source(const char *s)
{
	pin_source = s;
}

/* The module at path, loaded and initialised once. */
static struct module *
module_get(const char *path, struct diag *d)
{
	CK_C_GetFunctionList get;
	CK_C_INITIALIZE_ARGS args;
	struct module *m, *o;
	CK_RV rv;

	for (m = modules; m != NULL; m = m->next)
		if (strcmp(m->path, path) == 0) {
			m->refs++;
			return m;
		}
	if ((m = calloc(1, sizeof(*m))) == NULL ||
	    (m->path = strdup(path)) == NULL) {
		free(m);
		diag_set(d, NULL, 0, "out of memory");
		return NULL;
	}
	if ((m->dl = dlopen(path, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		diag_set(d, NULL, 0, "PKCS #11 module %s: %s", path,
		    dlerror());
		goto fail;
	}
	/* The same module by another path (a symbolic link): initialising
	 * it twice would fail (CKR_CRYPTOKI_ALREADY_INITIALIZED). */
	for (o = modules; o != NULL; o = o->next)
		if (o->dl == m->dl) {
			o->refs++;
			dlclose(m->dl);
			free(m->path);
			free(m);
			return o;
		}
	*(void **)&get = dlsym(m->dl, "C_GetFunctionList");
	if (get == NULL) {
		diag_set(d, NULL, 0, "PKCS #11 module %s: no "
		    "C_GetFunctionList", path);
		goto fail;
	}
	if ((rv = get(&m->f)) != CKR_OK || m->f == NULL) {
		fail_rv(d, path, "C_GetFunctionList", rv);
		goto fail;
	}
	memset(&args, 0, sizeof(args));
	args.flags = CKF_OS_LOCKING_OK;
	/* Initialised already in this process by another path to the same
	 * library (a module that wraps it, as OpenSC's spy or p11-kit's
	 * proxy load it themselves; PKCS #11 v2.40 section 5.4): used as
	 * it is, and finalised by whoever initialised it, not here. */
	rv = m->f->C_Initialize(&args);
	if (rv == CKR_CRYPTOKI_ALREADY_INITIALIZED)
		m->borrowed = 1;
	else if (rv != CKR_OK) {
		fail_rv(d, path, "C_Initialize", rv);
		goto fail;
	}
	m->refs = 1;
	m->next = modules;
	modules = m;
	return m;
fail:
	if (m->dl != NULL)
		dlclose(m->dl);
	free(m->path);
	free(m);
	return NULL;
}

static void
module_put(struct module *m)
{
	struct module **p;

	if (m == NULL || --m->refs > 0)
		return;
	for (p = &modules; *p != m; p = &(*p)->next)
		;
	*p = m->next;
	if (!m->borrowed)
		(void)m->f->C_Finalize(NULL);
	free(m->path);
	free(m);
}

/* A blank-padded field of a PKCS #11 info structure, as a string. */
static void
field(char *out, const CK_UTF8CHAR *in, size_t n)
{
	while (n > 0 && in[n - 1] == ' ')
		n--;
	memcpy(out, in, n);
	out[n] = '\0';
}

static bool
differs(const char *want, const CK_UTF8CHAR *have, size_t n)
{
	char b[65];

	if (want == NULL)
		return false;
	field(b, have, n);
	return strcmp(want, b) != 0;
}

/* Whether a slot, its token and the library are the ones the URI names
 * (RFC 7512 section 2.3: every attribute given must match). */
static bool
slot_matches(const struct p11uri *u, CK_SLOT_ID id, const CK_INFO *li,
    const CK_SLOT_INFO *si, const CK_TOKEN_INFO *ti)
{
	return !(u->has_slot_id && u->slot_id != id) &&
	    !differs(u->s[P11URI_TOKEN], ti->label, sizeof(ti->label)) &&
	    !differs(u->s[P11URI_MANUFACTURER], ti->manufacturerID,
	    sizeof(ti->manufacturerID)) &&
	    !differs(u->s[P11URI_SERIAL], ti->serialNumber,
	    sizeof(ti->serialNumber)) &&
	    !differs(u->s[P11URI_MODEL], ti->model, sizeof(ti->model)) &&
	    !differs(u->s[P11URI_SLOT_DESCRIPTION], si->slotDescription,
	    sizeof(si->slotDescription)) &&
	    !differs(u->s[P11URI_SLOT_MANUFACTURER], si->manufacturerID,
	    sizeof(si->manufacturerID)) &&
	    !differs(u->s[P11URI_LIB_MANUFACTURER], li->manufacturerID,
	    sizeof(li->manufacturerID)) &&
	    !differs(u->s[P11URI_LIB_DESCRIPTION], li->libraryDescription,
	    sizeof(li->libraryDescription)) &&
	    !(u->has_lib_version &&
	    (li->libraryVersion.major != u->lib_major ||
	    li->libraryVersion.minor != u->lib_minor));
}

/* The one token the URI names; its label goes to the key's name. */
static int
find_slot(struct pkcs11_key *k, const struct p11uri *u, const char *obj,
    struct diag *d)
{
	CK_FUNCTION_LIST_PTR f = k->m->f;
	CK_SLOT_ID *slots = NULL;
	CK_ULONG n = 0, i, found = 0;
	CK_INFO li;
	CK_SLOT_INFO si;
	CK_TOKEN_INFO ti;
	CK_RV rv;
	char label[40], what[300];

	snprintf(what, sizeof(what), "token %s", u->s[P11URI_TOKEN] ?
	    u->s[P11URI_TOKEN] : "(any)");
	if ((rv = f->C_GetInfo(&li)) != CKR_OK ||
	    (rv = f->C_GetSlotList(CK_TRUE, NULL, &n)) != CKR_OK) {
		fail_rv(d, what, "C_GetSlotList", rv);
		return -1;
	}
	if ((slots = calloc(n ? n : 1, sizeof(*slots))) == NULL) {
		diag_set(d, NULL, 0, "out of memory");
		return -1;
	}
	if ((rv = f->C_GetSlotList(CK_TRUE, slots, &n)) != CKR_OK) {
		fail_rv(d, what, "C_GetSlotList", rv);
		free(slots);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (f->C_GetSlotInfo(slots[i], &si) != CKR_OK ||
		    f->C_GetTokenInfo(slots[i], &ti) != CKR_OK ||
		    !slot_matches(u, slots[i], &li, &si, &ti))
			continue;
		if (found++ == 0) {
			k->slot = slots[i];
			field(label, ti.label, sizeof(ti.label));
		}
	}
	free(slots);
	if (found != 1) {
		diag_set(d, NULL, 0, found == 0 ? "%s: no such token (%lu "
		    "present)" : "%s: %lu tokens match: name one (token=, "
		    "serial=)", what, found == 0 ? (unsigned long)n :
		    (unsigned long)found);
		return -1;
	}
	snprintf(k->name, sizeof(k->name), "token %s, object %s", label, obj);
	return 0;
}

/* The PIN from a file: its first line. */
static int
pin_from_file(const char *path, char *pin, struct diag *d, const char *who)
{
	FILE *fp;
	size_t n;

	if ((fp = fopen(path, "r")) == NULL) {
		diag_set(d, NULL, 0, "%s: PIN file %s: %s", who, path,
		    strerror(errno));
		return -1;
	}
	/* Unbuffered: no copy of the PIN in stdio's buffer. */
	setvbuf(fp, NULL, _IONBF, 0);
	n = fread(pin, 1, PIN_MAX - 1, fp);
	fclose(fp);
	pin[n] = '\0';
	pin[strcspn(pin, "\r\n")] = '\0';
	return 0;
}

/*
 * The PIN: from the URI's pin-source, else the program's source (a
 * file or env:NAME); 1 when there is none.
 */
static int
get_pin(const struct p11uri *u, char *pin, struct diag *d, const char *who)
{
	const char *src = u->s[P11URI_PIN_SOURCE], *v;

	if (src != NULL)
		return pin_from_file(src, pin, d, who);
	if (pin_source == NULL)
		return 1;
	if (strncmp(pin_source, "env:", 4) != 0)
		return pin_from_file(pin_source, pin, d, who);
	if ((v = getenv(pin_source + 4)) == NULL) {
		diag_set(d, NULL, 0, "%s: no PIN: environment variable %s is "
		    "not set", who, pin_source + 4);
		return -1;
	}
	if (strlen(v) >= PIN_MAX) {
		diag_set(d, NULL, 0, "%s: PIN in %s too long", who,
		    pin_source + 4);
		return -1;
	}
	strcpy(pin, v);
	return 0;
}

static int
login(struct pkcs11_key *k, const struct p11uri *u, struct diag *d)
{
	CK_TOKEN_INFO ti;
	CK_RV rv;
	char *pin;
	int rc;

	if ((rv = k->m->f->C_GetTokenInfo(k->slot, &ti)) != CKR_OK) {
		fail_rv(d, k->name, "C_GetTokenInfo", rv);
		return -1;
	}
	if (!(ti.flags & CKF_LOGIN_REQUIRED))
		return 0;
	if (ti.flags & CKF_PROTECTED_AUTHENTICATION_PATH) {
		rv = k->m->f->C_Login(k->own, CKU_USER, NULL, 0);
		goto out;
	}
	if (sodium_init() < 0 || (pin = sodium_malloc(PIN_MAX)) == NULL) {
		diag_set(d, NULL, 0, "out of memory");
		return -1;
	}
	if ((rc = get_pin(u, pin, d, k->name)) != 0) {
		if (rc == 1)
			diag_set(d, NULL, 0, "%s: the token needs a PIN: name "
			    "its source with -p or pin-source", k->name);
		sodium_free(pin);
		return -1;
	}
	rv = k->m->f->C_Login(k->own, CKU_USER, (CK_UTF8CHAR_PTR)pin,
	    (CK_ULONG)strlen(pin));
	sodium_free(pin);	/* wipes */
out:
	if (rv != CKR_OK && rv != CKR_USER_ALREADY_LOGGED_IN) {
		fail_rv(d, k->name, "C_Login", rv);
		return -1;
	}
	return 0;
}

/* The one object of class cls with the URI's label and id, or (when
 * id is given) that id: 0 found, 1 none, -1 error. */
static int
find_object(struct pkcs11_key *k, CK_OBJECT_CLASS cls, const char *label,
    const uint8_t *id, size_t idlen, CK_OBJECT_HANDLE *h, struct diag *d)
{
	CK_FUNCTION_LIST_PTR f = k->m->f;
	CK_ATTRIBUTE t[3];
	CK_OBJECT_HANDLE found[2];
	CK_ULONG n = 0, nt = 0;
	CK_RV rv;

	t[nt].type = CKA_CLASS;
	t[nt].pValue = &cls;
	t[nt++].ulValueLen = sizeof(cls);
	if (label != NULL) {
		t[nt].type = CKA_LABEL;
		t[nt].pValue = (void *)label;
		t[nt++].ulValueLen = (CK_ULONG)strlen(label);
	}
	if (id != NULL) {
		t[nt].type = CKA_ID;
		t[nt].pValue = (void *)id;
		t[nt++].ulValueLen = (CK_ULONG)idlen;
	}
	if ((rv = f->C_FindObjectsInit(k->own, t, nt)) != CKR_OK) {
		fail_rv(d, k->name, "C_FindObjectsInit", rv);
		return -1;
	}
	rv = f->C_FindObjects(k->own, found, 2, &n);
	(void)f->C_FindObjectsFinal(k->own);
	if (rv != CKR_OK) {
		fail_rv(d, k->name, "C_FindObjects", rv);
		return -1;
	}
	if (n > 1) {
		diag_set(d, NULL, 0, "%s: more than one %s key matches: name "
		    "it by id= as well", k->name, cls == CKO_PRIVATE_KEY ?
		    "private" : "public");
		return -1;
	}
	*h = found[0];
	return n == 0 ? 1 : 0;
}

/* An attribute's value into buf, of *len octets; *len gets its length. */
static int
get_attr(struct pkcs11_key *k, CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE type,
    void *buf, CK_ULONG *len, struct diag *d, const char *what)
{
	CK_ATTRIBUTE a = { type, buf, *len };
	CK_RV rv;

	if ((rv = k->m->f->C_GetAttributeValue(k->own, h, &a, 1)) != CKR_OK) {
		char fn[80];
		snprintf(fn, sizeof(fn), "C_GetAttributeValue(%s)", what);
		fail_rv(d, k->name, fn, rv);
		return -1;
	}
	*len = a.ulValueLen;
	return 0;
}

/* A DER length at p[0..n); the octets it took to *used. */
static size_t
der_len(const uint8_t *p, size_t n, size_t *used)
{
	size_t l = 0, i, m;

	if (n == 0)
		return SIZE_MAX;
	if (p[0] < 0x80) {
		*used = 1;
		return p[0];
	}
	m = p[0] & 0x7f;
	if (m == 0 || m > 2 || m + 1 > n)
		return SIZE_MAX;
	for (i = 1; i <= m; i++)
		l = l << 8 | p[i];	/* wire-lint: not wire: DER, X.690 */
	*used = m + 1;
	return l;
}

/* The curve of CKA_EC_PARAMS: the DNSKEY algorithm it serves, 0 for
 * another.  Ed25519 is named by its OID (RFC 8410 section 3) or, in
 * older tokens, by the printable string "edwards25519". */
static uint8_t
curve_alg(const uint8_t *p, size_t n)
{
	static const uint8_t p256[] = { 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce,
	    0x3d, 0x03, 0x01, 0x07 };
	static const uint8_t p384[] = { 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00,
	    0x22 };
	static const uint8_t ed[] = { 0x06, 0x03, 0x2b, 0x65, 0x70 };
	static const uint8_t edname[] = { 0x13, 0x0c, 'e', 'd', 'w', 'a',
	    'r', 'd', 's', '2', '5', '5', '1', '9' };

	if (n == sizeof(p256) && memcmp(p, p256, n) == 0)
		return 13;
	if (n == sizeof(p384) && memcmp(p, p384, n) == 0)
		return 14;
	if ((n == sizeof(ed) && memcmp(p, ed, n) == 0) ||
	    (n == sizeof(edname) && memcmp(p, edname, n) == 0))
		return 15;
	return 0;
}

/* CKA_EC_POINT: a DER OCTET STRING around the point (PKCS #11 2.40
 * §2.3.3), or the point itself as some tokens give it.  ECDSA: 04 X Y
 * (SEC 1 §2.3.3, uncompressed) and the DNSKEY holds X | Y (RFC 6605
 * §4); Ed25519: the 32 octets (RFC 8080 §3). */
static int
set_point(struct pkcs11_key *k, const uint8_t *p, size_t n)
{
	size_t used, l, want = k->alg == 15 ? 32 : 2 * k->width + 1;

	if (n != want && n > 2 && p[0] == 0x04 &&
	    (l = der_len(p + 1, n - 1, &used)) == n - 1 - used) {
		p += 1 + used;
		n = l;
	}
	if (n != want || (k->alg != 15 && p[0] != 0x04))
		return -1;
	if (k->alg != 15) {
		p++;
		n--;
	}
	memcpy(k->pub, p, n);
	k->publen = n;
	return 0;
}

/* RSA: RFC 3110 §2, the exponent's length, exponent and modulus, with
 * their leading zero octets gone. */
static int
set_rsa(struct pkcs11_key *k, const uint8_t *e, size_t elen,
    const uint8_t *m, size_t mlen)
{
	size_t o = 0;

	while (elen > 0 && *e == 0)
		e++, elen--;
	while (mlen > 0 && *m == 0)
		m++, mlen--;
	if (elen == 0 || mlen < 64 || mlen > 512 ||
	    (elen > 255 ? 3 : 1) + elen + mlen > sizeof(k->pub))
		return -1;
	/* RFC 3110 §2: the exponent's length in one octet, or in two
	 * after a zero. */
	if (elen > 255) {
		k->pub[o++] = 0;
		o = (size_t)(wire_put16(k->pub + o, (uint16_t)elen) - k->pub);
	} else
		k->pub[o++] = (uint8_t)elen;
	memcpy(k->pub + o, e, elen);
	memcpy(k->pub + o + elen, m, mlen);
	k->publen = o + elen + mlen;
	k->siglen = mlen;
	return 0;
}

static const char *
ktype_name(CK_KEY_TYPE t)
{
	return t == CKK_RSA ? "an RSA key" : t == CKK_EC ? "an EC key" :
	    t == CKK_EC_EDWARDS ? "an EdDSA key" : "a key of another type";
}

/*
 * The key's type, algorithm and public key, from the object at h (the
 * private or the public key) and, for the curves, the public key
 * object pubh (CKA_EC_POINT is the public key's).
 */
static int
read_public(struct pkcs11_key *k, CK_OBJECT_HANDLE h, bool has_pub,
    CK_OBJECT_HANDLE pubh, uint8_t alg, struct diag *d)
{
	uint8_t *a, *b;
	CK_ULONG alen, blen;
	uint8_t have;
	int rc = -1;

	a = malloc(ATTR_MAX);
	b = malloc(ATTR_MAX);
	if (a == NULL || b == NULL) {
		diag_set(d, NULL, 0, "out of memory");
		goto out;
	}
	alen = ATTR_MAX;
	if (get_attr(k, h, CKA_KEY_TYPE, a, &alen, d, "CKA_KEY_TYPE") != 0 ||
	    alen != sizeof(k->ktype))
		goto out;
	memcpy(&k->ktype, a, sizeof(k->ktype));
	if (k->ktype == CKK_RSA) {
		have = alg == 10 ? 10 : 8;
	} else if (k->ktype == CKK_EC || k->ktype == CKK_EC_EDWARDS) {
		alen = ATTR_MAX;
		if (get_attr(k, h, CKA_EC_PARAMS, a, &alen, d,
		    "CKA_EC_PARAMS") != 0)
			goto out;
		have = curve_alg(a, alen);
		if (k->ktype == CKK_EC ? have == 15 : have != 15)
			have = 0;
	} else
		have = 0;
	if (have == 0 || (alg != 0 && alg != have)) {
		diag_set(d, NULL, 0, "%s: %s%s, not one of algorithm %u",
		    k->name, ktype_name(k->ktype), have == 0 ? " of a curve "
		    "DNSSEC has no algorithm for" : "", alg != 0 ? alg : have);
		if (alg == 0 && have == 0)
			diag_set(d, NULL, 0, "%s: %s of a type or curve DNSSEC "
			    "has no algorithm for here (RSA, P-256, P-384, "
			    "Ed25519)", k->name, ktype_name(k->ktype));
		goto out;
	}
	k->alg = have;
	if (k->ktype == CKK_RSA) {
		alen = blen = ATTR_MAX;
		if (get_attr(k, h, CKA_PUBLIC_EXPONENT, a, &alen, d,
		    "CKA_PUBLIC_EXPONENT") != 0 ||
		    get_attr(k, h, CKA_MODULUS, b, &blen, d,
		    "CKA_MODULUS") != 0)
			goto out;
		if (set_rsa(k, a, alen, b, blen) != 0) {
			diag_set(d, NULL, 0, "%s: RSA key of a size not "
			    "supported (512 to 4096 bits)", k->name);
			goto out;
		}
		rc = 0;
		goto out;
	}
	k->width = have == 14 ? 48 : 32;
	k->siglen = have == 15 ? 64 : 2 * k->width;
	if (!has_pub) {
		diag_set(d, NULL, 0, "%s: no public key object with the "
		    "private key's id or label: its public key cannot be read",
		    k->name);
		goto out;
	}
	blen = ATTR_MAX;
	if (get_attr(k, pubh, CKA_EC_POINT, b, &blen, d, "CKA_EC_POINT") != 0)
		goto out;
	if (set_point(k, b, blen) != 0) {
		diag_set(d, NULL, 0, "%s: CKA_EC_POINT: not a point of the "
		    "key's curve", k->name);
		goto out;
	}
	rc = 0;
out:
	free(a);
	free(b);
	return rc;
}

/* Whether the token offers the mechanism for signing. */
static int
check_mechanism(struct pkcs11_key *k, struct diag *d)
{
	CK_MECHANISM_TYPE mech = k->alg == 8 ? CKM_SHA256_RSA_PKCS :
	    k->alg == 10 ? CKM_SHA512_RSA_PKCS : k->alg == 15 ? CKM_EDDSA :
	    CKM_ECDSA;
	CK_MECHANISM_INFO mi;
	CK_RV rv;
	CK_BBOOL v = CK_FALSE;
	CK_ULONG n = sizeof(v);
	char b[32];

	rv = k->m->f->C_GetMechanismInfo(k->slot, mech, &mi);
	if (rv != CKR_OK || !(mi.flags & CKF_SIGN)) {
		diag_set(d, NULL, 0, "%s: the token cannot sign with "
		    "algorithm %u (C_GetMechanismInfo: %s)", k->name, k->alg,
		    rv != CKR_OK ? ckr_name(rv, b, sizeof(b)) :
		    "no CKF_SIGN");
		return -1;
	}
	if (get_attr(k, k->priv, CKA_SIGN, &v, &n, d, "CKA_SIGN") != 0)
		return -1;
	if (n != sizeof(v) || v != CK_TRUE) {
		diag_set(d, NULL, 0, "%s: the key may not sign (CKA_SIGN is "
		    "false)", k->name);
		return -1;
	}
	return 0;
}

/* The objects: the private key (with need_private) and its public
 * key, found by the URI's label and id, then by the id the private key
 * has (a public key object shares it, PKCS #11 2.40 §4.4). */
static int
find_key(struct pkcs11_key *k, const struct p11uri *u, uint8_t alg,
    bool need_private, struct diag *d)
{
	const char *label = u->s[P11URI_OBJECT];
	const uint8_t *id = u->has_id ? u->id : NULL;
	CK_OBJECT_HANDLE pubh = 0;
	uint8_t idbuf[ATTR_MAX];
	CK_ULONG idlen = u->idlen, n = sizeof(idbuf);
	int rc, pubrc;

	if (u->type != P11URI_ANY && u->type != P11URI_PRIVATE &&
	    u->type != P11URI_PUBLIC) {
		diag_set(d, NULL, 0, "%s: type= names no key pair: give "
		    "type=private or leave it out", k->name);
		return -1;
	}
	if (need_private && u->type == P11URI_PUBLIC) {
		diag_set(d, NULL, 0, "%s: type=public: signing needs the "
		    "private key (type=private)", k->name);
		return -1;
	}
	if (need_private) {
		if ((rc = find_object(k, CKO_PRIVATE_KEY, label, id, idlen,
		    &k->priv, d)) < 0)
			return -1;
		if (rc == 1) {
			diag_set(d, NULL, 0, "%s: no such private key", k->name);
			return -1;
		}
		k->has_priv = true;
		if (id == NULL && get_attr(k, k->priv, CKA_ID, idbuf, &n,
		    d, "CKA_ID") == 0 && n > 0) {
			id = idbuf;
			idlen = n;
		}
		diag_clear(d);
	}
	pubrc = find_object(k, CKO_PUBLIC_KEY, id != NULL ? NULL : label, id,
	    idlen, &pubh, d);
	if (pubrc < 0)
		return -1;
	if (!need_private && pubrc == 1) {
		diag_set(d, NULL, 0, "%s: no such public key", k->name);
		return -1;
	}
	return read_public(k, need_private ? k->priv : pubh, pubrc == 0,
	    pubh, alg, d);
}

/* The object's name for messages: its label, or its id in hex. */
static void
object_name(const struct p11uri *u, char *buf, size_t size)
{
	size_t i, o;

	if (u->s[P11URI_OBJECT] != NULL) {
		snprintf(buf, size, "%s", u->s[P11URI_OBJECT]);
		return;
	}
	if (!u->has_id) {
		snprintf(buf, size, "(any)");
		return;
	}
	o = (size_t)snprintf(buf, size, "id ");
	for (i = 0; i < u->idlen && o + 3 < size; i++)
		o += (size_t)snprintf(buf + o, size - o, "%02x", u->id[i]);
}

/*
 * module-name= (RFC 7512 section 2.3) is a module by the name p11-kit's
 * configuration gives it: the name of its NAME.module file
 * (pkcs11.conf(5); Debian's softhsm2 package installs softhsm2.module).
 * p11-kit's library (libp11-kit.so.0) is loaded at run time for it,
 * reads its configuration and loads the modules it lists without
 * initialising them (P11_KIT_MODULE_UNMANAGED); the named module's file
 * is then loaded here as module-path's is.  p11-kit reads no user
 * configuration (~/.config/pkcs11) in a program run by root: there only
 * the system's (/etc/pkcs11, /usr/share/p11-kit/modules) names modules.
 */
struct p11kit {
	CK_FUNCTION_LIST	**(*load)(void *, int);
	CK_FUNCTION_LIST	*(*for_name)(CK_FUNCTION_LIST **,
				    const char *);
	char			*(*name)(CK_FUNCTION_LIST *);
	char			*(*filename)(CK_FUNCTION_LIST *);
	void			 (*release)(CK_FUNCTION_LIST **);
};

#define P11KIT_LIBRARY	"libp11-kit.so.0"

static int
p11kit_open(struct p11kit *p, const char *name, struct diag *d)
{
	void *dl;

	/* Kept loaded, as the modules are (see the top of this file). */
	if ((dl = dlopen(P11KIT_LIBRARY, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		diag_set(d, NULL, 0, "module-name=%s: p11-kit, which names "
		    "modules, cannot be loaded (%s): give the module by "
		    "module-path=", name, dlerror());
		return -1;
	}
	*(void **)&p->load = dlsym(dl, "p11_kit_modules_load");
	*(void **)&p->for_name = dlsym(dl, "p11_kit_module_for_name");
	*(void **)&p->name = dlsym(dl, "p11_kit_module_get_name");
	*(void **)&p->filename = dlsym(dl, "p11_kit_module_get_filename");
	*(void **)&p->release = dlsym(dl, "p11_kit_modules_release");
	if (p->load == NULL || p->for_name == NULL || p->name == NULL ||
	    p->filename == NULL || p->release == NULL) {
		diag_set(d, NULL, 0, "module-name=%s: %s lacks functions of "
		    "p11-kit 0.23: give the module by module-path=", name,
		    P11KIT_LIBRARY);
		return -1;
	}
	return 0;
}

/* The names p11-kit's configuration gives, for a message. */
static void
p11kit_names(const struct p11kit *p, CK_FUNCTION_LIST **mods, char *buf,
    size_t size)
{
	size_t o = 0, i;
	char *n;

	buf[0] = '\0';
	for (i = 0; mods[i] != NULL && o + 1 < size; i++) {
		if ((n = p->name(mods[i])) == NULL)
			continue;
		o += (size_t)snprintf(buf + o, size - o, "%s%s", o ? ", " :
		    "", n);
		free(n);
	}
	if (o >= size && size > 4)
		memcpy(buf + size - 4, "...", 4);
}

/* The file of the module p11-kit names name, into *path (free()). */
static int
module_by_name(const char *name, char **path, struct diag *d)
{
	struct p11kit p;
	CK_FUNCTION_LIST **mods, *m;
	char names[200];

	if (p11kit_open(&p, name, d) != 0)
		return -1;
	if ((mods = p.load(NULL, P11_KIT_MODULE_UNMANAGED)) == NULL) {
		diag_set(d, NULL, 0, "module-name=%s: p11-kit could not read "
		    "its configuration: give the module by module-path=", name);
		return -1;
	}
	if ((m = p.for_name(mods, name)) == NULL) {
		p11kit_names(&p, mods, names, sizeof(names));
		diag_set(d, NULL, 0, "module-name=%s: no module of that name "
		    "in p11-kit's configuration (pkcs11.conf(5)%s; it names "
		    "%s): give the module by module-path=", name,
		    geteuid() == 0 ? ", its system part only: p11-kit reads "
		    "no user configuration for root" : "",
		    names[0] ? names : "none");
		p.release(mods);
		return -1;
	}
	*path = p.filename(m);
	p.release(mods);
	if (*path == NULL) {
		diag_set(d, NULL, 0, "module-name=%s: p11-kit gives no file "
		    "for it: give the module by module-path=", name);
		return -1;
	}
	return 0;
}

/*
 * The module's file: module-path's, or that of the module p11-kit names
 * module-name, or p11-kit's proxy.  Given both, they must be the same
 * file: a URI names no other module than the one meant.
 */
static int
module_path(const struct p11uri *u, char **named, const char **path,
    struct diag *d)
{
	const char *name = u->s[P11URI_MODULE_NAME];
	const char *given = u->s[P11URI_MODULE_PATH];
	char *a, *b;
	bool same;

	*named = NULL;
	*path = given != NULL ? given : DEFAULT_MODULE;
	if (name == NULL)
		return 0;
	if (module_by_name(name, named, d) != 0)
		return -1;
	if (given == NULL) {
		*path = *named;
		return 0;
	}
	a = realpath(given, NULL);
	b = realpath(*named, NULL);
	same = a != NULL && b != NULL && strcmp(a, b) == 0;
	free(a);
	free(b);
	if (!same) {
		diag_set(d, NULL, 0, "module-name=%s is %s, not module-path=%s",
		    name, *named, given);
		return -1;
	}
	return 0;
}

struct pkcs11_key *
pkcs11_key_open(const char *uri, uint8_t alg, bool need_private,
    struct diag *d)
{
	struct pkcs11_key *k;
	struct p11uri u;
	char obj[140], *named = NULL;
	const char *path;
	CK_RV rv;

	if (p11uri_parse(&u, uri, d) != 0)
		return NULL;
	if ((k = calloc(1, sizeof(*k))) == NULL) {
		diag_set(d, NULL, 0, "out of memory");
		p11uri_free(&u);
		return NULL;
	}
	k->own = CK_INVALID_HANDLE;
	object_name(&u, obj, sizeof(obj));
	if (module_path(&u, &named, &path, d) != 0)
		goto fail;
	if ((k->m = module_get(path, d)) == NULL ||
	    find_slot(k, &u, obj, d) != 0)
		goto fail;
	if ((rv = k->m->f->C_OpenSession(k->slot, CKF_SERIAL_SESSION, NULL,
	    NULL, &k->own)) != CKR_OK) {
		k->own = CK_INVALID_HANDLE;
		fail_rv(d, k->name, "C_OpenSession", rv);
		goto fail;
	}
	/* A public key needs no login, unless the token keeps it private
	 * (CKA_PRIVATE): a pin-source in the URI says so. */
	if (((need_private || u.s[P11URI_PIN_SOURCE] != NULL) &&
	    login(k, &u, d) != 0) ||
	    find_key(k, &u, alg, need_private, d) != 0 ||
	    (need_private && check_mechanism(k, d) != 0))
		goto fail;
	free(named);
	p11uri_free(&u);
	return k;
fail:
	free(named);
	p11uri_free(&u);
	pkcs11_key_free(k);
	return NULL;
}

uint8_t
pkcs11_key_algorithm(const struct pkcs11_key *k)
{
	return k->alg;
}

const uint8_t *
pkcs11_key_public(const struct pkcs11_key *k, size_t *len)
{
	*len = k->publen;
	return k->pub;
}

size_t
pkcs11_key_sig_len(const struct pkcs11_key *k)
{
	return k->siglen;
}

const char *
pkcs11_key_name(const struct pkcs11_key *k)
{
	return k->name;
}

void
pkcs11_key_free(struct pkcs11_key *k)
{
	if (k == NULL)
		return;
	if (k->m != NULL && k->own != CK_INVALID_HANDLE)
		(void)k->m->f->C_CloseSession(k->own);
	module_put(k->m);
	free(k);
}

struct pkcs11_session *
pkcs11_session_new(const struct pkcs11_key *k, struct diag *d)
{
	struct pkcs11_session *s;
	CK_RV rv;

	if (!k->has_priv) {
		diag_set(d, NULL, 0, "%s: no private key", k->name);
		return NULL;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		diag_set(d, NULL, 0, "out of memory");
		return NULL;
	}
	s->k = k;
	if ((rv = k->m->f->C_OpenSession(k->slot, CKF_SERIAL_SESSION, NULL,
	    NULL, &s->h)) != CKR_OK) {
		fail_rv(d, k->name, "C_OpenSession", rv);
		free(s);
		return NULL;
	}
	return s;
}

void
pkcs11_session_free(struct pkcs11_session *s)
{
	if (s == NULL)
		return;
	(void)s->k->m->f->C_CloseSession(s->h);
	free(s);
}

/*
 * An ECDSA signature in DER (SEQUENCE of two INTEGERs, as a few tokens
 * give it) to r | s of the curve's width each (RFC 6605 §4).
 */
static int
der_to_rs(const uint8_t *p, size_t n, size_t w, uint8_t *out)
{
	size_t used, l, i, o = 0;

	if (n < 2 || p[0] != 0x30 || der_len(p + 1, n - 1, &used) !=
	    n - 1 - used)
		return -1;
	p += 1 + used;
	n -= 1 + used;
	for (i = 0; i < 2; i++) {
		if (n < 2 || p[0] != 0x02 ||
		    (l = der_len(p + 1, n - 1, &used)) > n - 1 - used)
			return -1;
		p += 1 + used;
		n -= 1 + used;
		while (l > 0 && *p == 0)
			p++, l--, n--;
		if (l > w)
			return -1;
		memset(out + o, 0, w - l);
		memcpy(out + o + w - l, p, l);
		o += w;
		p += l;
		n -= l;
	}
	return n == 0 ? 0 : -1;
}

int
pkcs11_sign(struct pkcs11_session *s, const uint8_t *data, size_t len,
    uint8_t *sig, struct diag *d)
{
	const struct pkcs11_key *k = s->k;
	CK_FUNCTION_LIST_PTR f = k->m->f;
	CK_MECHANISM mech = { CKM_ECDSA, NULL, 0 };
	uint8_t h[EVP_MAX_MD_SIZE], out[1024];
	unsigned int hlen;
	CK_ULONG olen = sizeof(out);
	CK_RV rv;
	const char *fn = "C_SignInit";

	if (k->alg == 13 || k->alg == 14) {
		if (EVP_Digest(data, len, h, &hlen, k->alg == 13 ?
		    EVP_sha256() : EVP_sha384(), NULL) != 1) {
			diag_set(d, NULL, 0, "%s: hashing failed", k->name);
			return -1;
		}
		data = h;
		len = hlen;
	} else
		mech.mechanism = k->alg == 8 ? CKM_SHA256_RSA_PKCS :
		    k->alg == 10 ? CKM_SHA512_RSA_PKCS : CKM_EDDSA;
	rv = f->C_SignInit(s->h, &mech, k->priv);
	if (rv == CKR_OK) {
		fn = "C_Sign";
		rv = f->C_Sign(s->h, (CK_BYTE_PTR)data, (CK_ULONG)len, out,
		    &olen);
	}
	if (rv != CKR_OK) {
		fail_rv(d, k->name, fn, rv);
		return -1;
	}
	if (olen == k->siglen)
		memcpy(sig, out, olen);
	else if (k->width == 0 || der_to_rs(out, olen, k->width, sig) != 0) {
		diag_set(d, NULL, 0, "%s: C_Sign: a signature of %lu octets, "
		    "not %zu", k->name, (unsigned long)olen, k->siglen);
		return -1;
	}
	return 0;
}
