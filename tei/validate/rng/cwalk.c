/* The derivative RELAX NG engine's per-document walk, in C.
 *
 * Schema.walk (derivative.py) walks an lxml tree with memoised transitions; this module does
 * the same walk over the libxml2 tree below an lxml element, with the memo tables kept in C
 * hash tables and dense arrays.  A transition the C tables do not hold yet is asked of the
 * Python Schema (the same methods the Python walk calls), so derivative.py stays the one
 * source of the semantics; strings (text, attribute values) are handed to Python only where
 * the state reads them.
 *
 * The element object's layout and the lxml functions come from lxml's public C API
 * (etree.h, etree_api.h); derivative.py checks the lxml version this was built with and probes
 * the layout before using it.  Anything the walk does not expect (entity references,
 * XInclude nodes, a root that is not an element) makes walk() return None: the caller then
 * walks the document in Python.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#include <libxml/tree.h>
#include <libxml/xmlversion.h>
#include "lxml-version.h"
#include "etree_api.h"

#define NA 1
#define UNKNOWN INT32_MIN
#define VM_MAX 200000 /* value memo entries kept before it is cleared (as derivative.py) */

/* ------------------------------------------------------------------ small tables */

static inline uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

static inline uint64_t fnv(const unsigned char *s, size_t n, uint64_t h)
{
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* (int32, int32) -> up to three int32 values */
typedef struct {
    uint64_t key;
    int32_t v[3];
} Slot;

typedef struct {
    Slot *s;
    size_t mask, n;
} Table;

#define EMPTY_KEY UINT64_MAX

static int table_init(Table *t, size_t size)
{
    t->s = PyMem_Malloc(size * sizeof(Slot));
    if (!t->s)
        return -1;
    for (size_t i = 0; i < size; i++)
        t->s[i].key = EMPTY_KEY;
    t->mask = size - 1;
    t->n = 0;
    return 0;
}

static inline uint64_t pair_key(int32_t a, int32_t b)
{
    return ((uint64_t)(uint32_t)a << 32) | (uint32_t)b;
}

static inline Slot *table_get(Table *t, uint64_t key)
{
    size_t i = mix64(key) & t->mask;
    for (;;) {
        Slot *s = &t->s[i];
        if (s->key == key)
            return s;
        if (s->key == EMPTY_KEY)
            return NULL;
        i = (i + 1) & t->mask;
    }
}

static int table_put(Table *t, uint64_t key, const int32_t *v)
{
    if (2 * (t->n + 1) > t->mask + 1) {
        Table bigger;
        if (table_init(&bigger, 2 * (t->mask + 1)) < 0)
            return -1;
        for (size_t i = 0; i <= t->mask; i++)
            if (t->s[i].key != EMPTY_KEY)
                table_put(&bigger, t->s[i].key, t->s[i].v);
        PyMem_Free(t->s);
        *t = bigger;
    }
    size_t i = mix64(key) & t->mask;
    while (t->s[i].key != EMPTY_KEY && t->s[i].key != key)
        i = (i + 1) & t->mask;
    if (t->s[i].key == EMPTY_KEY)
        t->n++;
    t->s[i].key = key;
    memcpy(t->s[i].v, v, sizeof t->s[i].v);
    return 0;
}

/* state -> int32, dense */
typedef struct {
    int32_t *v;
    size_t n;
} Dense;

static inline int32_t dense_get(const Dense *d, int32_t i)
{
    return (i >= 0 && (size_t)i < d->n) ? d->v[i] : UNKNOWN;
}

static int dense_set(Dense *d, int32_t i, int32_t value)
{
    if (i < 0)
        return 0;
    if ((size_t)i >= d->n) {
        size_t n = d->n ? d->n : 1024;
        while (n <= (size_t)i)
            n *= 2;
        int32_t *v = PyMem_Realloc(d->v, n * sizeof(int32_t));
        if (!v)
            return -1;
        for (size_t j = d->n; j < n; j++)
            v[j] = UNKNOWN;
        d->v = v;
        d->n = n;
    }
    d->v[i] = value;
    return 0;
}

/* names: (namespace, local) -> id, and the Clark name of each id */
typedef struct {
    uint64_t h;
    char *key; /* has-ns byte, namespace, NUL, local */
    size_t len;
    int32_t id; /* -1: free */
} NameSlot;

typedef struct {
    NameSlot *s;
    size_t mask, n;
    PyObject **py; /* id -> Clark name */
    size_t pycap;
} Names;

/* name ids by the addresses of the strings, for one walk: a tree's names are mostly the same
 * few strings (libxml2 interns them), so this spares hashing them; an entry of another walk
 * (another gen) is a miss, as its strings may be gone */
#define NC_SIZE 1024
typedef struct {
    const xmlChar *ns, *local;
    uint32_t gen;
    int32_t id;
} NameCache;

/* (value pattern, attribute value) -> does the value match */
typedef struct {
    uint64_t h;
    char *s; /* NULL: free */
    size_t len;
    int32_t x;
    int32_t ok;
} VmSlot;

typedef struct {
    VmSlot *s;
    size_t mask, n;
} Vm;

/* a buffer for strings pieced together from several text nodes */
typedef struct {
    char *p;
    size_t len, cap;
} Buf;

static int buf_add(Buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = PyMem_Realloc(b->p, cap);
        if (!p)
            return -1;
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
    return 0;
}

/* ------------------------------------------------------------------ the walker */

typedef struct {
    xmlNode *el, *cur; /* the element, its next child to visit */
    xmlNode *seg;      /* first text node of the text run not yet consumed (NULL: none) */
    int32_t state, rest;
    char nonws, had_child, skipping;
} Frame;

/* An element has ended (its frame popped, sp frames left): the parent goes on in state q
 * with a new text run, or, at the top, the walk's own state becomes q. */
static inline void resume(Frame *stack, size_t sp, int32_t *state, int32_t q)
{
    if (sp) {
        Frame *G = &stack[sp - 1];
        G->state = q;
        G->seg = NULL;
        G->nonws = 0;
    } else {
        *state = q;
    }
}

typedef struct {
    PyObject_HEAD
    PyObject *schema;
    PyObject *m_open, *m_att, *m_value_ok, *m_att_deriv, *m_close, *m_ws, *m_nonws;
    PyObject *m_text, *m_only_text, *m_end, *m_dep, *m_value_kind;
    PyObject *N;       /* the schema's nullable list (append-only) */
    PyObject *invalid; /* the Invalid exception class */
    int32_t start;
    Table open, att;
    Dense close, ws, nonws, end, xdep, xnd, xkind;
    char *nullable; /* pattern -> nullable, for the first nn patterns */
    size_t nn;
    Names names;
    NameCache *nc; /* NC_SIZE entries */
    uint32_t gen;  /* of the latest walk */
    Vm vm;
    /* counters, for measurements */
    Py_ssize_t calls;
} Walker;

static PyTypeObject *ElementType; /* lxml.etree._Element */

static int names_init(Names *t)
{
    size_t size = 1024;
    t->s = PyMem_Calloc(size, sizeof(NameSlot));
    if (!t->s)
        return -1;
    for (size_t i = 0; i < size; i++)
        t->s[i].id = -1;
    t->mask = size - 1;
    t->n = 0;
    t->py = NULL;
    t->pycap = 0;
    return 0;
}

static void names_insert_slot(NameSlot *s, size_t mask, NameSlot *src)
{
    size_t i = src->h & mask;
    while (s[i].id >= 0)
        i = (i + 1) & mask;
    s[i] = *src;
}

/* The id of the name (ns may be NULL: no namespace); -1 on error. */
static int32_t name_id(Names *t, const xmlChar *ns, const xmlChar *local)
{
    size_t nl = ns ? strlen((const char *)ns) : 0;
    size_t ll = local ? strlen((const char *)local) : 0;
    unsigned char flag = ns ? 1 : 0;
    uint64_t h = fnv(&flag, 1, 0xcbf29ce484222325ULL);
    if (ns)
        h = fnv(ns, nl, h);
    h = fnv((const unsigned char *)"", 1, h);
    h = fnv(local, ll, h);
    h = mix64(h);
    size_t len = 1 + nl + 1 + ll;
    size_t i = h & t->mask;
    for (;;) {
        NameSlot *s = &t->s[i];
        if (s->id < 0)
            break;
        if (s->h == h && s->len == len && s->key[0] == (char)flag &&
            memcmp(s->key + 1, ns ? (const char *)ns : "", nl) == 0 && s->key[1 + nl] == 0 &&
            memcmp(s->key + 2 + nl, local, ll) == 0)
            return s->id;
        i = (i + 1) & t->mask;
    }
    /* a new name */
    char *key = PyMem_Malloc(len);
    if (!key) {
        PyErr_NoMemory();
        return -1;
    }
    key[0] = (char)flag;
    if (nl)
        memcpy(key + 1, ns, nl);
    key[1 + nl] = 0;
    if (ll)
        memcpy(key + 2 + nl, local, ll);
    PyObject *py;
    if (ns) {
        char *clark = PyMem_Malloc(nl + ll + 2);
        if (!clark) {
            PyMem_Free(key);
            PyErr_NoMemory();
            return -1;
        }
        clark[0] = '{';
        memcpy(clark + 1, ns, nl);
        clark[1 + nl] = '}';
        if (ll)
            memcpy(clark + 2 + nl, local, ll);
        py = PyUnicode_DecodeUTF8(clark, (Py_ssize_t)(nl + ll + 2), "strict");
        PyMem_Free(clark);
    } else {
        py = PyUnicode_DecodeUTF8(local ? (const char *)local : "", (Py_ssize_t)ll, "strict");
    }
    if (!py) {
        PyMem_Free(key);
        return -1;
    }
    if (t->n >= t->pycap) {
        size_t cap = t->pycap ? 2 * t->pycap : 256;
        PyObject **p = PyMem_Realloc(t->py, cap * sizeof(PyObject *));
        if (!p) {
            Py_DECREF(py);
            PyMem_Free(key);
            PyErr_NoMemory();
            return -1;
        }
        t->py = p;
        t->pycap = cap;
    }
    int32_t id = (int32_t)t->n;
    t->py[id] = py;
    NameSlot fresh = {h, key, len, id};
    t->n++;
    if (2 * t->n > t->mask + 1) {
        size_t size = 2 * (t->mask + 1);
        NameSlot *s = PyMem_Calloc(size, sizeof(NameSlot));
        if (!s) {
            PyErr_NoMemory();
            return -1;
        }
        for (size_t j = 0; j < size; j++)
            s[j].id = -1;
        for (size_t j = 0; j <= t->mask; j++)
            if (t->s[j].id >= 0)
                names_insert_slot(s, size - 1, &t->s[j]);
        PyMem_Free(t->s);
        t->s = s;
        t->mask = size - 1;
    }
    names_insert_slot(t->s, t->mask, &fresh);
    return id;
}

static inline int32_t name_id_cached(Walker *w, uint32_t gen, const xmlChar *ns,
                                      const xmlChar *local)
{
    uint64_t k = mix64((uint64_t)(uintptr_t)local * 31 + (uint64_t)(uintptr_t)ns);
    NameCache *e = &w->nc[k & (NC_SIZE - 1)];
    if (e->gen == gen && e->local == local && e->ns == ns)
        return e->id;
    int32_t id = name_id(&w->names, ns, local);
    if (id >= 0)
        *e = (NameCache){ns, local, gen, id};
    return id;
}

static int vm_init(Vm *t)
{
    size_t size = 4096;
    t->s = PyMem_Calloc(size, sizeof(VmSlot));
    if (!t->s)
        return -1;
    t->mask = size - 1;
    t->n = 0;
    return 0;
}

static void vm_clear(Vm *t)
{
    for (size_t i = 0; i <= t->mask; i++)
        if (t->s[i].s) {
            PyMem_Free(t->s[i].s);
            t->s[i].s = NULL;
        }
    t->n = 0;
}

static inline uint64_t vm_hash(int32_t x, const char *s, size_t n)
{
    return mix64(fnv((const unsigned char *)s, n, 0xcbf29ce484222325ULL) ^ (uint64_t)(uint32_t)x);
}

/* 0/1, or -1 when absent */
static int vm_get(Vm *t, uint64_t h, int32_t x, const char *s, size_t n)
{
    size_t i = h & t->mask;
    for (;;) {
        VmSlot *e = &t->s[i];
        if (!e->s)
            return -1;
        if (e->h == h && e->x == x && e->len == n && memcmp(e->s, s, n) == 0)
            return e->ok;
        i = (i + 1) & t->mask;
    }
}

static int vm_put(Vm *t, uint64_t h, int32_t x, const char *s, size_t n, int ok)
{
    if (t->n >= VM_MAX)
        vm_clear(t);
    if (2 * (t->n + 1) > t->mask + 1) {
        size_t size = 2 * (t->mask + 1);
        VmSlot *b = PyMem_Calloc(size, sizeof(VmSlot));
        if (!b)
            return -1;
        for (size_t j = 0; j <= t->mask; j++)
            if (t->s[j].s) {
                size_t k = t->s[j].h & (size - 1);
                while (b[k].s)
                    k = (k + 1) & (size - 1);
                b[k] = t->s[j];
            }
        PyMem_Free(t->s);
        t->s = b;
        t->mask = size - 1;
    }
    char *copy = PyMem_Malloc(n ? n : 1);
    if (!copy)
        return -1;
    memcpy(copy, s, n);
    size_t i = h & t->mask;
    while (t->s[i].s)
        i = (i + 1) & t->mask;
    t->s[i] = (VmSlot){h, copy, n, x, ok};
    t->n++;
    return 0;
}

/* ------------------------------------------------------------------ helpers */

static inline int is_ws(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static inline int has_nonws(const xmlChar *s)
{
    if (!s)
        return 0;
    for (; *s; s++)
        if (!is_ws(*s))
            return 1;
    return 0;
}

static inline int has_nonws_n(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_ws((unsigned char)s[i]))
            return 1;
    return 0;
}

/* An int from a callback's result (steals the reference); UNKNOWN on error. */
static int32_t as_int(PyObject *r)
{
    if (!r)
        return UNKNOWN;
    long v = PyLong_AsLong(r);
    Py_DECREF(r);
    if (v == -1 && PyErr_Occurred())
        return UNKNOWN;
    return (int32_t)v;
}

static PyObject *call_i(PyObject *m, int32_t a)
{
    PyObject *pa = PyLong_FromLong(a);
    if (!pa)
        return NULL;
    PyObject *r = PyObject_CallOneArg(m, pa);
    Py_DECREF(pa);
    return r;
}

static PyObject *call_io(PyObject *m, int32_t a, PyObject *o)
{
    PyObject *pa = PyLong_FromLong(a);
    if (!pa)
        return NULL;
    PyObject *args[2] = {pa, o};
    PyObject *r = PyObject_Vectorcall(m, args, 2, NULL);
    Py_DECREF(pa);
    return r;
}

/* Read n ints from a tuple result (steals the reference). */
static int tuple_ints(PyObject *r, int32_t *out, int n)
{
    if (!r)
        return -1;
    if (!PyTuple_Check(r) || PyTuple_GET_SIZE(r) != n) {
        Py_DECREF(r);
        PyErr_SetString(PyExc_TypeError, "cwalk: unexpected transition from the schema");
        return -1;
    }
    for (int i = 0; i < n; i++) {
        long v = PyLong_AsLong(PyTuple_GET_ITEM(r, i));
        if (v == -1 && PyErr_Occurred()) {
            Py_DECREF(r);
            return -1;
        }
        out[i] = (int32_t)v;
    }
    Py_DECREF(r);
    return 0;
}

/* whether pattern p is nullable: -1 on error */
static int nullable(Walker *w, int32_t p)
{
    if (p >= 0 && (size_t)p < w->nn)
        return w->nullable[p];
    Py_ssize_t n = PyList_GET_SIZE(w->N);
    if (p < 0 || p >= n) {
        PyErr_SetString(PyExc_IndexError, "cwalk: pattern id out of range");
        return -1;
    }
    char *v = PyMem_Realloc(w->nullable, (size_t)n + 1024);
    if (!v) {
        PyErr_NoMemory();
        return -1;
    }
    w->nullable = v;
    for (Py_ssize_t i = (Py_ssize_t)w->nn; i < n; i++) {
        int t = PyObject_IsTrue(PyList_GET_ITEM(w->N, i));
        if (t < 0)
            return -1;
        v[i] = (char)t;
    }
    w->nn = (size_t)n;
    return v[p];
}

/* A one-int transition through a dense table, asking Python on a miss. */
static int32_t dense_step(Walker *w, Dense *d, PyObject *m, int32_t p)
{
    int32_t q = dense_get(d, p);
    if (q != UNKNOWN)
        return q;
    w->calls++;
    q = as_int(call_i(m, p));
    if (q == UNKNOWN)
        return UNKNOWN;
    if (dense_set(d, p, q) < 0) {
        PyErr_NoMemory();
        return UNKNOWN;
    }
    return q;
}

/* The text of a run of text nodes from `seg` up to `stop` (comments and PIs in between are
 * left out): a pointer into the tree when it is one node, else into b. */
static const char *run_text(Buf *b, xmlNode *seg, xmlNode *stop, size_t *len)
{
    if (!seg) {
        *len = 0;
        return "";
    }
    xmlNode *n = seg->next;
    while (n && n != stop && n->type != XML_TEXT_NODE && n->type != XML_CDATA_SECTION_NODE)
        n = n->next;
    if (!n || n == stop) { /* one node */
        const char *s = seg->content ? (const char *)seg->content : "";
        *len = strlen(s);
        return s;
    }
    b->len = 0;
    for (n = seg; n && n != stop; n = n->next) {
        if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) && n->content) {
            if (buf_add(b, (const char *)n->content, strlen((const char *)n->content)) < 0) {
                PyErr_NoMemory();
                return NULL;
            }
        }
    }
    *len = b->len;
    return b->len ? b->p : "";
}

/* textDeriv for a non-whitespace run; UNKNOWN on error. */
static int32_t text_step(Walker *w, Buf *b, int32_t p, xmlNode *seg, xmlNode *stop)
{
    int32_t q = dense_step(w, &w->nonws, w->m_nonws, p);
    if (q != -2)
        return q;
    size_t n;
    const char *s = run_text(b, seg, stop, &n);
    if (!s)
        return UNKNOWN;
    PyObject *str = PyUnicode_DecodeUTF8(s, (Py_ssize_t)n, "strict");
    if (!str)
        return UNKNOWN;
    w->calls++;
    q = as_int(call_io(w->m_text, p, str));
    Py_DECREF(str);
    return q;
}

/* The value of an attribute; NULL with *bail set when it holds more than text, NULL with an
 * exception on error. */
static const char *attr_value(Buf *b, xmlAttr *a, size_t *len, int *bail)
{
    xmlNode *c = a->children;
    if (!c) {
        *len = 0;
        return "";
    }
    if (!c->next && c->type == XML_TEXT_NODE) {
        const char *s = c->content ? (const char *)c->content : "";
        *len = strlen(s);
        return s;
    }
    b->len = 0;
    for (; c; c = c->next) {
        if (c->type != XML_TEXT_NODE) {
            *bail = 1;
            return NULL;
        }
        if (c->content &&
            buf_add(b, (const char *)c->content, strlen((const char *)c->content)) < 0) {
            PyErr_NoMemory();
            return NULL;
        }
    }
    *len = b->len;
    return b->len ? b->p : "";
}

/* ------------------------------------------------------------------ values decided here
 *
 * Schema._c_value_kind(x) tells, once per value pattern x, whether valueMatch(x, s) has one
 * of the shapes below; then a value made of ASCII bytes only is decided from its bytes, as
 * derivative.py and datatypes.py decide it (the value is not memoised: ids, pointers are
 * mostly distinct).  A value with any other byte is left to Schema.value_ok.
 *
 * Datatypes collapse whitespace with Python's str.split(): the tokens of an ASCII value are
 * the runs of bytes other than TAB LF VT FF CR FS GS RS US SPACE.  The low bits of a kind name
 * the token class (and bits 8-15 the date types of VK_DATE); a single value (no VK_LIST) must
 * be exactly one token of that class.
 */
#define VK_CLASS 15
#define VK_NCNAME 1   /* ID, IDREF, NCName, ENTITY */
#define VK_NAME 2     /* Name */
#define VK_URI 3      /* anyURI with the pattern \S+ (which every token satisfies) */
#define VK_PRINT 4    /* token with the pattern [^\p{C}\p{Z}]+ */
#define VK_LANGUAGE 5 /* language */
#define VK_NMTOKEN 6  /* NMTOKEN */
#define VK_DATE 7     /* any of the date and time types in bits 8-15 (DT_* below) */
#define VK_LIST 16    /* list: one or more tokens, each of the class */
#define VK_NOTOKENS 32 /* a value without tokens matches (a token value "", an empty list) */
#define VK_XMLWS 64   /* a value of XML whitespace only (or empty) matches (x is nullable) */

static inline int is_split_ws(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

static inline int is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static inline int is_hex(unsigned char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static inline int is_namechar(unsigned char c)
{
    return is_alpha(c) || is_digit(c) || c == '_' || c == '-' || c == '.';
}

/* jing's anyURI check (datatypes._uri_ok) on one token */
static int uri_ok(const unsigned char *t, size_t n)
{
    size_t hashes = 0, colon = n;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = t[i];
        if (c == '%' && (i + 2 >= n || !is_hex(t[i + 1]) || !is_hex(t[i + 2])))
            return 0;
        if (c == '#' && ++hashes > 1)
            return 0;
        if (c == ':' && colon == n)
            colon = i;
    }
    if (colon == n)
        return 1; /* relative */
    for (size_t i = 0; i < colon; i++)
        if (t[i] == '#' || t[i] == '/' || t[i] == '?')
            return 1; /* relative: the ':' is not in the scheme part */
    if (colon == 0 || colon + 1 == n || !is_alpha(t[0]))
        return 0;
    for (size_t i = 1; i < colon; i++)
        if (!is_alpha(t[i]) && !is_digit(t[i]) && t[i] != '+' && t[i] != '-' && t[i] != '.')
            return 0;
    return 1;
}

/* [a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})* */
static int language_ok(const unsigned char *t, size_t n)
{
    size_t run = 0;
    int first = 1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = t[i];
        if (c == '-') {
            if (!run)
                return 0;
            run = 0;
            first = 0;
        } else if (is_alpha(c) || (!first && is_digit(c))) {
            if (++run > 8)
                return 0;
        } else {
            return 0;
        }
    }
    return run > 0;
}

/* The XSD date and time types as datatypes._DATES and _date_ok read them; the bit of each in
 * a kind is 1 << (8 + its number), the order of derivative._VK_DATES. */
enum { DT_DATETIME, DT_DATE, DT_TIME, DT_GYEARMONTH, DT_GYEAR, DT_GMONTHDAY, DT_GDAY, DT_GMONTH };

/* two digits at t[*i]: their value, and *i moved past them; -1 if not */
static int two_digits(const unsigned char *t, size_t n, size_t *i)
{
    if (*i + 2 > n || !is_digit(t[*i]) || !is_digit(t[*i + 1]))
        return -1;
    int v = (t[*i] - '0') * 10 + (t[*i + 1] - '0');
    *i += 2;
    return v;
}

static inline int expect(const unsigned char *t, size_t n, size_t *i, unsigned char c)
{
    if (*i < n && t[*i] == c) {
        (*i)++;
        return 1;
    }
    return 0;
}

/* whether token t is a lexical form of date type dt: 1/0, -1 when the seconds are too close
 * to a rounding edge of Python's float() to be sure */
static int date_ok(int dt, const unsigned char *t, size_t n)
{
    size_t i = 0;
    int has_y = dt == DT_DATETIME || dt == DT_DATE || dt == DT_GYEARMONTH || dt == DT_GYEAR;
    int has_m = dt != DT_TIME && dt != DT_GYEAR && dt != DT_GDAY;
    int has_d = dt == DT_DATETIME || dt == DT_DATE || dt == DT_GMONTHDAY || dt == DT_GDAY;
    int has_t = dt == DT_DATETIME || dt == DT_TIME;
    int leap = 0, month = -1, day = -1;
    if (has_y) { /* -?(?:[1-9][0-9]{4,}|[0-9]{4}) */
        expect(t, n, &i, '-');
        size_t start = i;
        while (i < n && is_digit(t[i]))
            i++;
        size_t len = i - start;
        if (len < 4 || (len > 4 && t[start] == '0'))
            return 0;
        int zero = 1;
        for (size_t k = start; k < i; k++)
            zero &= t[k] == '0';
        if (zero)
            return 0; /* no year 0000 */
        int r = 0; /* the year modulo 400, from its last four digits (10000 = 25 * 400) */
        for (size_t k = i - 4; k < i; k++)
            r = r * 10 + (t[k] - '0');
        leap = r % 4 == 0 && (r % 100 != 0 || r % 400 == 0);
    } else if (dt != DT_TIME) {
        if (!expect(t, n, &i, '-') || !expect(t, n, &i, '-') ||
            (dt == DT_GDAY && !expect(t, n, &i, '-')))
            return 0;
    }
    if (has_m) {
        if ((has_y && !expect(t, n, &i, '-')) || (month = two_digits(t, n, &i)) < 0)
            return 0;
        if (month < 1 || month > 12)
            return 0;
    }
    if (has_d) {
        if ((has_m && !expect(t, n, &i, '-')) || (day = two_digits(t, n, &i)) < 0)
            return 0;
        static const int days[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        int limit = month > 0 ? days[month - 1] : 31;
        if (month == 2 && has_y)
            limit = leap ? 29 : 28;
        if (day < 1 || day > limit)
            return 0;
    }
    int unsure = 0;
    if (has_t) {
        int hh, mi, ss;
        if ((dt == DT_DATETIME && !expect(t, n, &i, 'T')) || (hh = two_digits(t, n, &i)) < 0 ||
            !expect(t, n, &i, ':') || (mi = two_digits(t, n, &i)) < 0 ||
            !expect(t, n, &i, ':') || (ss = two_digits(t, n, &i)) < 0)
            return 0;
        size_t nines = 0, first_nonzero = 0; /* in the fraction (1-based; 0: none) */
        if (i < n && t[i] == '.') {
            size_t start = ++i;
            while (i < n && is_digit(t[i])) {
                if (i - start == nines && t[i] == '9')
                    nines++;
                if (!first_nonzero && t[i] != '0')
                    first_nonzero = i - start + 1;
                i++;
            }
            if (i == start)
                return 0;
        }
        if (hh == 24) {
            if (mi || ss)
                return 0;
            if (first_nonzero)
                return first_nonzero > 300 ? -1 : 0; /* float() of it may underflow to 0 */
        } else if (hh > 23 || mi > 59 || ss > 59) {
            return 0;
        } else if (ss == 59 && nines >= 13) {
            unsure = 1; /* float() may round it to 60.0 */
        }
    }
    if (i < n) { /* (Z|[+-]HH:MM)? */
        if (t[i] == 'Z') {
            i++;
        } else {
            int th, tm;
            if ((t[i] != '+' && t[i] != '-') || (i++, (th = two_digits(t, n, &i)) < 0) ||
                !expect(t, n, &i, ':') || (tm = two_digits(t, n, &i)) < 0)
                return 0;
            if (tm > 59 || th > 14 || (th == 14 && tm))
                return 0;
        }
        if (i < n)
            return 0;
    }
    return unsure ? -1 : 1;
}

/* whether one token (n > 0, ASCII, no whitespace) is of the kind's class */
static int token_ok(int32_t kind, const unsigned char *t, size_t n)
{
    int cls = kind & VK_CLASS;
    switch (cls) {
    case VK_NCNAME:
    case VK_NAME:
        if (!(is_alpha(t[0]) || t[0] == '_' || (cls == VK_NAME && t[0] == ':')))
            return 0;
        for (size_t i = 1; i < n; i++)
            if (!is_namechar(t[i]) && !(cls == VK_NAME && t[i] == ':'))
                return 0;
        return 1;
    case VK_NMTOKEN:
        for (size_t i = 0; i < n; i++)
            if (!is_namechar(t[i]) && t[i] != ':')
                return 0;
        return 1;
    case VK_URI:
        return uri_ok(t, n);
    case VK_PRINT:
        for (size_t i = 0; i < n; i++)
            if (t[i] < 0x21 || t[i] > 0x7e)
                return 0;
        return 1;
    case VK_LANGUAGE:
        return language_ok(t, n);
    case VK_DATE: {
        int r = 0;
        for (int dt = DT_DATETIME; dt <= DT_GMONTH; dt++)
            if (kind & (1 << (8 + dt))) {
                int ok = date_ok(dt, t, n);
                if (ok > 0)
                    return 1;
                if (ok < 0)
                    r = -1;
            }
        return r;
    }
    default:
        return -1;
    }
}

/* valueMatch of a pattern of that kind and the value s: 0/1, or -1 when it is not decided
 * here (a kind of 0, a byte outside ASCII) */
static int fast_value(int32_t kind, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    int cls = kind & VK_CLASS;
    if (kind <= 0 || !cls)
        return -1;
    int xmlws = 1;
    for (size_t i = 0; i < n; i++) {
        if (u[i] >= 0x80)
            return -1;
        if (!is_ws(u[i]))
            xmlws = 0;
    }
    if (xmlws && (kind & VK_XMLWS))
        return 1;
    size_t tokens = 0;
    for (size_t i = 0; i < n;) {
        if (is_split_ws(u[i])) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < n && !is_split_ws(u[j]))
            j++;
        if (++tokens > 1 && !(kind & VK_LIST))
            return 0;
        int ok = token_ok(kind, u + i, j - i);
        if (ok <= 0)
            return ok;
        i = j;
    }
    return tokens ? 1 : (kind & VK_NOTOKENS) != 0;
}

/* valueMatch of value pattern x and an attribute value: 0/1, -1 on error. */
static int value_ok(Walker *w, int32_t x, const char *s, size_t n)
{
    int32_t d = dense_get(&w->xdep, x);
    if (d == UNKNOWN) {
        w->calls++;
        PyObject *r = call_i(w->m_dep, x);
        if (!r)
            return -1;
        d = PyObject_IsTrue(r);
        Py_DECREF(r);
        if (d < 0 || dense_set(&w->xdep, x, d) < 0)
            return -1;
    }
    uint64_t h = 0;
    int cls = 0;
    if (d) {
        int32_t kind = dense_get(&w->xkind, x);
        if (kind == UNKNOWN) {
            w->calls++;
            kind = as_int(call_i(w->m_value_kind, x));
            if (kind == UNKNOWN)
                return -1;
            if (dense_set(&w->xkind, x, kind) < 0) {
                PyErr_NoMemory();
                return -1;
            }
        }
        if (kind) {
            int ok = fast_value(kind, s, n);
            if (ok >= 0)
                return ok;
        }
        h = vm_hash(x, s, n);
        int ok = vm_get(&w->vm, h, x, s, n);
        if (ok >= 0)
            return ok;
    } else {
        /* the value is not read: the answer depends on whether it is all whitespace */
        cls = has_nonws_n(s, n) ? 2 : 1;
        int32_t bits = dense_get(&w->xnd, x);
        if (bits != UNKNOWN && (bits >> (2 * cls)) & 1)
            return (bits >> (2 * cls + 1)) & 1;
    }
    PyObject *str = PyUnicode_DecodeUTF8(s, (Py_ssize_t)n, "strict");
    if (!str)
        return -1;
    w->calls++;
    PyObject *r = call_io(w->m_value_ok, x, str);
    Py_DECREF(str);
    if (!r)
        return -1;
    int ok = PyObject_IsTrue(r);
    Py_DECREF(r);
    if (ok < 0)
        return -1;
    if (d) {
        if (vm_put(&w->vm, h, x, s, n, ok) < 0) {
            PyErr_NoMemory();
            return -1;
        }
    } else {
        int32_t bits = dense_get(&w->xnd, x);
        if (bits == UNKNOWN)
            bits = 0;
        bits |= (1 | (ok << 1)) << (2 * cls);
        if (dense_set(&w->xnd, x, bits) < 0) {
            PyErr_NoMemory();
            return -1;
        }
    }
    return ok;
}

/* ------------------------------------------------------------------ the walk */

static PyObject *element_of(struct LxmlDocument *doc, xmlNode *n)
{
    return (PyObject *)elementFactory(doc, n);
}

static PyObject *Walker_walk(Walker *w, PyObject *root)
{
    if (!PyObject_TypeCheck(root, ElementType))
        Py_RETURN_NONE;
    struct LxmlElement *re = (struct LxmlElement *)root;
    xmlNode *rn = re->_c_node;
    struct LxmlDocument *doc = re->_doc;
    if (!rn || rn->type != XML_ELEMENT_NODE || !doc)
        Py_RETURN_NONE;

    PyObject *focus = NULL, *first = NULL, *result = NULL;
    size_t sp = 0;
    int32_t state = w->start;
    xmlNode *next = rn; /* an element to start */
    xmlNode *bad_el = NULL;
    const char *bad_kind = NULL;
    PyObject *bad_name = NULL;
    int bail = 0;
    /* per call, not per walker: a callback may let another thread walk meanwhile */
    Frame *stack = NULL;
    size_t scap = 0;
    Buf text = {NULL, 0, 0}, value = {NULL, 0, 0};
    uint32_t gen = ++w->gen; /* the name cache's entries of this walk */
    if (!gen) {              /* wrapped: 0 marks an unused entry */
        memset(w->nc, 0, NC_SIZE * sizeof(NameCache));
        gen = ++w->gen;
    }

    for (;;) {
        if (next) {
            xmlNode *el = next;
            next = NULL;
            Frame *T = sp ? &stack[sp - 1] : NULL;
            if (T) {
                if (T->nonws) {
                    int32_t q = text_step(w, &text, T->state, T->seg, el);
                    if (q == UNKNOWN)
                        goto fail;
                    if (q == NA) {
                        bad_el = T->el;
                        bad_kind = "text";
                        sp--;
                        goto error;
                    }
                    T->state = q;
                }
                T->seg = NULL;
                T->nonws = 0;
                T->had_child = 1;
            }
            int32_t p = T ? T->state : state;
            int32_t nid = name_id_cached(w, gen, el->ns ? el->ns->href : NULL, el->name);
            if (nid < 0)
                goto fail;
            int32_t o[3];
            Slot *hit = table_get(&w->open, pair_key(p, nid));
            if (hit) {
                o[0] = hit->v[0];
                o[1] = hit->v[1];
            } else {
                w->calls++;
                if (tuple_ints(call_io(w->m_open, p, w->names.py[nid]), o, 2) < 0)
                    goto fail;
                o[2] = 0;
                if (table_put(&w->open, pair_key(p, nid), o) < 0) {
                    PyErr_NoMemory();
                    goto fail;
                }
            }
            int32_t c = o[0];
            if (c == NA) {
                bad_el = el;
                bad_kind = "element";
                goto error;
            }
            for (xmlAttr *a = el->properties; a; a = a->next) {
                if (a->type != XML_ATTRIBUTE_NODE)
                    continue;
                int32_t aid = name_id_cached(w, gen, a->ns ? a->ns->href : NULL, a->name);
                if (aid < 0)
                    goto fail;
                int32_t e[3];
                Slot *ah = table_get(&w->att, pair_key(c, aid));
                if (ah) {
                    memcpy(e, ah->v, sizeof e);
                } else {
                    w->calls++;
                    if (tuple_ints(call_io(w->m_att, c, w->names.py[aid]), e, 3) < 0)
                        goto fail;
                    if (table_put(&w->att, pair_key(c, aid), e) < 0) {
                        PyErr_NoMemory();
                        goto fail;
                    }
                }
                int32_t q;
                if (e[0] >= 0 || e[0] == -1) {
                    size_t n;
                    const char *v = attr_value(&value, a, &n, &bail);
                    if (!v) {
                        if (bail)
                            goto bailout;
                        goto fail;
                    }
                    if (e[0] >= 0) {
                        int ok = value_ok(w, e[0], v, n);
                        if (ok < 0)
                            goto fail;
                        q = ok ? e[1] : e[2];
                    } else {
                        PyObject *str = PyUnicode_DecodeUTF8(v, (Py_ssize_t)n, "strict");
                        if (!str)
                            goto fail;
                        PyObject *pa = PyLong_FromLong(c);
                        if (!pa) {
                            Py_DECREF(str);
                            goto fail;
                        }
                        PyObject *args[3] = {pa, w->names.py[aid], str};
                        w->calls++;
                        q = as_int(PyObject_Vectorcall(w->m_att_deriv, args, 3, NULL));
                        Py_DECREF(pa);
                        Py_DECREF(str);
                        if (q == UNKNOWN)
                            goto fail;
                    }
                } else {
                    q = NA;
                }
                if (q == NA) {
                    bad_el = el;
                    bad_kind = "attribute";
                    bad_name = w->names.py[aid];
                    goto error;
                }
                c = q;
            }
            int32_t q = dense_step(w, &w->close, w->m_close, c);
            if (q == UNKNOWN)
                goto fail;
            if (q == NA) {
                bad_el = el;
                bad_kind = "attributes";
                goto error;
            }
            if (sp == scap) {
                size_t cap = scap ? 2 * scap : 64;
                Frame *s = PyMem_Realloc(stack, cap * sizeof(Frame));
                if (!s) {
                    PyErr_NoMemory();
                    goto fail;
                }
                stack = s;
                scap = cap;
            }
            Frame *F = &stack[sp++];
            F->el = el;
            F->cur = el->children;
            F->seg = NULL;
            F->state = q;
            F->rest = o[1];
            F->nonws = 0;
            F->had_child = 0;
            F->skipping = 0;
            continue;
        }
        if (!sp)
            break;
        Frame *F = &stack[sp - 1];
        xmlNode *n = F->cur;
        if (n) {
            F->cur = n->next;
            switch (n->type) {
            case XML_TEXT_NODE:
            case XML_CDATA_SECTION_NODE:
                if (!F->seg)
                    F->seg = n;
                if (!F->nonws && has_nonws(n->content))
                    F->nonws = 1;
                continue;
            case XML_ELEMENT_NODE:
                next = n;
                continue;
            case XML_COMMENT_NODE:
            case XML_PI_NODE:
                continue;
            default:
                goto bailout;
            }
        }
        /* the end of F->el */
        if (F->skipping) { /* the parent of an error: go on as if it ended well */
            int32_t rest = F->rest;
            sp--;
            if (rest < 0) {
                result = PyTuple_Pack(2, Py_None, first);
                goto done;
            }
            resume(stack, sp, &state, rest);
            continue;
        }
        int32_t c = F->state;
        int32_t q;
        if (!F->had_child) {
            if (!F->nonws) {
                q = dense_step(w, &w->ws, w->m_ws, c);
                if (q == UNKNOWN)
                    goto fail;
                if (q == -2) {
                    size_t len;
                    const char *s = run_text(&text, F->seg, NULL, &len);
                    if (!s)
                        goto fail;
                    PyObject *str = PyUnicode_DecodeUTF8(s, (Py_ssize_t)len, "strict");
                    if (!str)
                        goto fail;
                    w->calls++;
                    q = as_int(call_io(w->m_only_text, c, str));
                    Py_DECREF(str);
                    if (q == UNKNOWN)
                        goto fail;
                }
                c = q;
            } else {
                c = text_step(w, &text, c, F->seg, NULL);
                if (c == UNKNOWN)
                    goto fail;
            }
        } else if (F->nonws) {
            c = text_step(w, &text, c, F->seg, NULL);
            if (c == UNKNOWN)
                goto fail;
        }
        xmlNode *el = F->el;
        int32_t rest = F->rest;
        sp--;
        if (c == NA) {
            bad_el = el;
            bad_kind = "text";
            goto error;
        }
        if (rest >= 0) {
            int nb = nullable(w, c);
            if (nb < 0)
                goto fail;
            if (!nb) {
                bad_el = el;
                bad_kind = "incomplete";
                goto error;
            }
            c = rest;
        } else {
            c = dense_step(w, &w->end, w->m_end, c);
            if (c == UNKNOWN)
                goto fail;
            if (c == NA) {
                bad_el = el;
                bad_kind = "incomplete";
                goto error;
            }
        }
        resume(stack, sp, &state, c);
        continue;

    error: {
        /* an error at bad_el; the frame of its parent (if any) is on top of the stack */
        PyObject *bel = element_of(doc, bad_el);
        if (!bel)
            goto fail;
        if (!first) {
            first = PyObject_CallFunction(w->invalid, "OsO", bel, bad_kind,
                                          bad_name ? bad_name : Py_None);
            if (!first) {
                Py_DECREF(bel);
                goto fail;
            }
        }
        if (!focus && !(focus = PyList_New(0))) {
            Py_DECREF(bel);
            goto fail;
        }
        int r = PyList_Append(focus, bel);
        Py_DECREF(bel);
        if (r < 0)
            goto fail;
        bad_name = NULL;
        if (!sp) {
            result = PyTuple_Pack(2, focus, first);
            goto done;
        }
        Frame *T = &stack[sp - 1];
        T->skipping = 1;
        T->cur = NULL;
        continue;
    }
    }
    /* the whole tree walked */
    if (!focus) {
        int nb = nullable(w, state);
        if (nb < 0)
            goto fail;
        focus = PyList_New(0);
        if (!focus)
            goto fail;
        if (!nb) {
            first = PyObject_CallFunction(w->invalid, "Os", root, "incomplete");
            if (!first || PyList_Append(focus, root) < 0)
                goto fail;
        }
    }
    result = PyTuple_Pack(2, focus, first ? first : Py_None);
    goto done;
bailout:
    result = Py_NewRef(Py_None);
    goto done;
fail:
    result = NULL;
done:
    PyMem_Free(stack);
    PyMem_Free(text.p);
    PyMem_Free(value.p);
    Py_XDECREF(focus);
    Py_XDECREF(first);
    return result;
}

/* ------------------------------------------------------------------ the type */

static PyObject *bound(PyObject *schema, const char *name)
{
    return PyObject_GetAttrString(schema, name);
}

static int Walker_init(Walker *w, PyObject *args, PyObject *kwds)
{
    PyObject *schema, *invalid;
    static char *kw[] = {"schema", "invalid", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OO", kw, &schema, &invalid))
        return -1;
    if (w->schema) {
        PyErr_SetString(PyExc_RuntimeError, "Walker is already initialised");
        return -1;
    }
    w->schema = Py_NewRef(schema);
    w->invalid = Py_NewRef(invalid);
    if (!(w->m_open = bound(schema, "opened")) || !(w->m_att = bound(schema, "_c_att")) ||
        !(w->m_value_ok = bound(schema, "value_ok")) ||
        !(w->m_att_deriv = bound(schema, "att_deriv")) ||
        !(w->m_close = bound(schema, "close_tag")) || !(w->m_ws = bound(schema, "_c_ws")) ||
        !(w->m_nonws = bound(schema, "_c_nonws")) || !(w->m_text = bound(schema, "text")) ||
        !(w->m_only_text = bound(schema, "only_text")) ||
        !(w->m_end = bound(schema, "end_tag")) || !(w->m_dep = bound(schema, "dep")) ||
        !(w->m_value_kind = bound(schema, "_c_value_kind")) ||
        !(w->N = bound(schema, "N")))
        return -1;
    if (!PyList_Check(w->N)) {
        PyErr_SetString(PyExc_TypeError, "cwalk: Schema.N is not a list");
        return -1;
    }
    w->start = as_int(bound(schema, "start"));
    if (w->start == UNKNOWN)
        return -1;
    if (table_init(&w->open, 1 << 14) < 0 || table_init(&w->att, 1 << 14) < 0 ||
        names_init(&w->names) < 0 || vm_init(&w->vm) < 0 ||
        !(w->nc = PyMem_Calloc(NC_SIZE, sizeof(NameCache)))) {
        PyErr_NoMemory();
        return -1;
    }
    return 0;
}

static int Walker_traverse(Walker *w, visitproc visit, void *arg)
{
    Py_VISIT(w->schema);
    Py_VISIT(w->m_open);
    Py_VISIT(w->m_att);
    Py_VISIT(w->m_value_ok);
    Py_VISIT(w->m_att_deriv);
    Py_VISIT(w->m_close);
    Py_VISIT(w->m_ws);
    Py_VISIT(w->m_nonws);
    Py_VISIT(w->m_text);
    Py_VISIT(w->m_only_text);
    Py_VISIT(w->m_end);
    Py_VISIT(w->m_dep);
    Py_VISIT(w->m_value_kind);
    Py_VISIT(w->N);
    Py_VISIT(w->invalid);
    return 0;
}

static int Walker_clear(Walker *w)
{
    Py_CLEAR(w->schema);
    Py_CLEAR(w->m_open);
    Py_CLEAR(w->m_att);
    Py_CLEAR(w->m_value_ok);
    Py_CLEAR(w->m_att_deriv);
    Py_CLEAR(w->m_close);
    Py_CLEAR(w->m_ws);
    Py_CLEAR(w->m_nonws);
    Py_CLEAR(w->m_text);
    Py_CLEAR(w->m_only_text);
    Py_CLEAR(w->m_end);
    Py_CLEAR(w->m_dep);
    Py_CLEAR(w->m_value_kind);
    Py_CLEAR(w->N);
    Py_CLEAR(w->invalid);
    return 0;
}

static void Walker_dealloc(Walker *w)
{
    PyObject_GC_UnTrack(w);
    Walker_clear(w);
    PyMem_Free(w->open.s);
    PyMem_Free(w->att.s);
    PyMem_Free(w->close.v);
    PyMem_Free(w->ws.v);
    PyMem_Free(w->nonws.v);
    PyMem_Free(w->end.v);
    PyMem_Free(w->nullable);
    PyMem_Free(w->xdep.v);
    PyMem_Free(w->xnd.v);
    PyMem_Free(w->xkind.v);
    if (w->names.s) {
        for (size_t i = 0; i <= w->names.mask; i++)
            if (w->names.s[i].id >= 0)
                PyMem_Free(w->names.s[i].key);
        PyMem_Free(w->names.s);
    }
    for (size_t i = 0; i < w->names.n; i++)
        Py_XDECREF(w->names.py[i]);
    PyMem_Free(w->names.py);
    PyMem_Free(w->nc);
    if (w->vm.s) {
        vm_clear(&w->vm);
        PyMem_Free(w->vm.s);
    }
    Py_TYPE(w)->tp_free((PyObject *)w);
}

static PyObject *Walker_stats(Walker *w, PyObject *unused)
{
    return Py_BuildValue("{s:n,s:n,s:n,s:n,s:n}", "calls", w->calls, "open", (Py_ssize_t)w->open.n,
                         "att", (Py_ssize_t)w->att.n, "names", (Py_ssize_t)w->names.n, "values",
                         (Py_ssize_t)w->vm.n);
}

static PyMethodDef Walker_methods[] = {
    {"walk", (PyCFunction)Walker_walk, METH_O,
     "walk(root) -> (focus, first) as Schema.walk, or None when the tree holds nodes this walk "
     "leaves to Python"},
    {"stats", (PyCFunction)Walker_stats, METH_NOARGS, "sizes of the C tables, callbacks made"},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject WalkerType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "tei.validate.rng.cwalk.Walker",
    .tp_basicsize = sizeof(Walker),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_doc = "Walker(schema, invalid): Schema.walk in C over a Schema's memoised transitions",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Walker_init,
    .tp_dealloc = (destructor)Walker_dealloc,
    .tp_traverse = (traverseproc)Walker_traverse,
    .tp_clear = (inquiry)Walker_clear,
    .tp_methods = Walker_methods,
};

/* probe(el) -> (local name, namespace or None, line, first child's local name or None) read
 * through the C layout, for the caller to compare with what lxml says */
static PyObject *probe(PyObject *self, PyObject *el)
{
    if (!PyObject_TypeCheck(el, ElementType)) {
        PyErr_SetString(PyExc_TypeError, "probe: an lxml element is needed");
        return NULL;
    }
    xmlNode *n = ((struct LxmlElement *)el)->_c_node;
    if (!n || n->type != XML_ELEMENT_NODE)
        Py_RETURN_NONE;
    xmlNode *c = n->children;
    while (c && c->type != XML_ELEMENT_NODE)
        c = c->next;
    PyObject *child = Py_None;
    if (c) {
        child = element_of(((struct LxmlElement *)el)->_doc, c);
        if (!child)
            return NULL;
    } else {
        Py_INCREF(child);
    }
    PyObject *r = Py_BuildValue("(szlN)", (const char *)n->name,
                                n->ns ? (const char *)n->ns->href : NULL, (long)n->line, child);
    return r;
}

/* ------------------------------------------------------------------ xml:id values */

typedef struct {
    uint64_t h;
    const char *s; /* NULL: free */
    size_t len;
} IdSlot;

/* whether code point c may be whitespace to Python's str.strip() (a superset, on purpose) */
static inline int maybe_py_space(uint32_t c)
{
    return c < 0x80 ? is_split_ws((unsigned char)c)
                    : c == 0x85 || c == 0xa0 || c == 0x1680 || c == 0x180e ||
                          (c >= 0x2000 && c <= 0x205f) || c == 0x3000;
}

/* the code point at s (n > 0 bytes of UTF-8); UINT32_MAX when malformed */
static uint32_t utf8_at(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t k = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 0;
    if (!k || k > n)
        return UINT32_MAX;
    uint32_t v = k == 1 ? c : (uint32_t)(c & (0x7f >> k));
    for (size_t i = 1; i < k; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return UINT32_MAX;
        v = (v << 6) | (s[i] & 0x3f);
    }
    return v;
}

/* whether str.strip() leaves the value as it is: 1, 0 (or not sure) */
static int unstripped(const unsigned char *s, size_t n)
{
    if (!n)
        return 1;
    uint32_t first = utf8_at(s, n);
    size_t i = n - 1;
    while (i > 0 && (s[i] & 0xc0) == 0x80)
        i--;
    uint32_t last = utf8_at(s + i, n - i);
    return first != UINT32_MAX && last != UINT32_MAX && !maybe_py_space(first) &&
           !maybe_py_space(last);
}

static int ids_add(IdSlot **tab, size_t *mask, size_t *count, const char *s, size_t n)
{
    /* 1: added, 0: already there, -1: no memory */
    if (2 * (*count + 1) > *mask + 1) {
        size_t size = 2 * (*mask + 1);
        IdSlot *b = PyMem_Calloc(size, sizeof(IdSlot));
        if (!b)
            return -1;
        for (size_t j = 0; j <= *mask; j++)
            if ((*tab)[j].s) {
                size_t k = (*tab)[j].h & (size - 1);
                while (b[k].s)
                    k = (k + 1) & (size - 1);
                b[k] = (*tab)[j];
            }
        PyMem_Free(*tab);
        *tab = b;
        *mask = size - 1;
    }
    uint64_t h = mix64(fnv((const unsigned char *)s, n, 0xcbf29ce484222325ULL));
    size_t i = h & *mask;
    for (;;) {
        IdSlot *e = &(*tab)[i];
        if (!e->s)
            break;
        if (e->h == h && e->len == n && memcmp(e->s, s, n) == 0)
            return 0;
        i = (i + 1) & *mask;
    }
    (*tab)[i] = (IdSlot){h, s, n};
    (*count)++;
    return 1;
}

/* ids_distinct(el): whether the xml:id values of el and the elements below it are certainly
 * pairwise distinct once stripped as str.strip() strips (what ids.duplicate_ids asks first).
 * False: some are equal, or the question is left to Python (a value with possible
 * whitespace at an end, an attribute holding more than one text node, a node other than an
 * element, text, CDATA, comment or PI). */
static PyObject *ids_distinct(PyObject *self, PyObject *el)
{
    if (!PyObject_TypeCheck(el, ElementType)) {
        PyErr_SetString(PyExc_TypeError, "ids_distinct: an lxml element is needed");
        return NULL;
    }
    xmlNode *top = ((struct LxmlElement *)el)->_c_node;
    if (!top || top->type != XML_ELEMENT_NODE)
        Py_RETURN_FALSE;
    size_t mask = 255, count = 0;
    IdSlot *tab = PyMem_Calloc(mask + 1, sizeof(IdSlot));
    if (!tab)
        return PyErr_NoMemory();
    int distinct = 1;
    xmlNode *n = top;
    while (n && distinct) {
        if (n->type == XML_ELEMENT_NODE) {
            for (xmlAttr *a = n->properties; a; a = a->next) {
                if (a->type != XML_ATTRIBUTE_NODE || !a->ns || !a->ns->href ||
                    strcmp((const char *)a->name, "id") != 0 ||
                    strcmp((const char *)a->ns->href, (const char *)XML_XML_NAMESPACE) != 0)
                    continue;
                xmlNode *c = a->children;
                const char *v = "";
                if (c) {
                    if (c->next || c->type != XML_TEXT_NODE) {
                        distinct = 0;
                        break;
                    }
                    v = c->content ? (const char *)c->content : "";
                }
                size_t len = strlen(v);
                if (!unstripped((const unsigned char *)v, len)) {
                    distinct = 0;
                    break;
                }
                int r = ids_add(&tab, &mask, &count, v, len);
                if (r < 0) {
                    PyMem_Free(tab);
                    return PyErr_NoMemory();
                }
                if (!r) {
                    distinct = 0;
                    break;
                }
            }
            if (n->children && distinct) {
                n = n->children;
                continue;
            }
        } else if (n->type != XML_TEXT_NODE && n->type != XML_CDATA_SECTION_NODE &&
                   n->type != XML_COMMENT_NODE && n->type != XML_PI_NODE) {
            distinct = 0;
            break;
        }
        /* the next node in document order below top */
        while (n != top && !n->next)
            n = n->parent;
        n = n == top ? NULL : n->next;
    }
    PyMem_Free(tab);
    return PyBool_FromLong(distinct);
}

/* fast_value(kind, value) -> True/False, or None when the C walk leaves it to Python (see
 * Schema._c_value_kind); for tests */
static PyObject *py_fast_value(PyObject *self, PyObject *args)
{
    int kind;
    const char *s;
    Py_ssize_t n;
    if (!PyArg_ParseTuple(args, "is#", &kind, &s, &n))
        return NULL;
    int r = fast_value(kind, s, (size_t)n);
    if (r < 0)
        Py_RETURN_NONE;
    return PyBool_FromLong(r);
}

/* ------------------------------------------------------------------ the start-tag scan */

/* start_tag_ends(text): positions.py's _start_tag_ends in C, over a str of any kind: 1 + the
 * offset of each start tag's "<", in order, lazily; comments, CDATA sections, PIs, a DOCTYPE
 * (with its internal subset) and end tags skipped as the _START regex skips them (an
 * unterminated one's "<" counts as a start tag), and len(text) at the end when the regex scan
 * ends there, that is when no start tag stands after the last "<!" or "<?" (the Python scan
 * switches to _OPEN past it, which yields no such end). */

#define DEFINE_START_SCAN(T, SUF)                                                              \
    /* the offset just past the first c0 c1 [c2] (c2 0: two characters) at or after i, or -1 */ \
    static Py_ssize_t past_##SUF(const T *s, Py_ssize_t i, Py_ssize_t n, Py_UCS4 c0, Py_UCS4 c1, \
                                 Py_UCS4 c2)                                                   \
    {                                                                                          \
        Py_ssize_t m = c2 ? 3 : 2;                                                             \
        for (; i + m <= n; i++)                                                                \
            if (s[i] == c0 && s[i + 1] == c1 && (!c2 || s[i + 2] == c2))                       \
                return i + m;                                                                  \
        return -1;                                                                             \
    }                                                                                          \
    static int at_##SUF(const T *s, Py_ssize_t i, Py_ssize_t n, const char *lit)               \
    {                                                                                          \
        for (; *lit; lit++, i++)                                                               \
            if (i >= n || s[i] != (T)(unsigned char)*lit)                                      \
                return 0;                                                                      \
        return 1;                                                                              \
    }                                                                                          \
    /* "<!DOCTYPE" then (?:[^\[>]|\[.*?\])*> from i: the offset past its ">", or -1 */         \
    static Py_ssize_t doctype_##SUF(const T *s, Py_ssize_t i, Py_ssize_t n)                    \
    {                                                                                          \
        while (i < n) {                                                                        \
            if (s[i] == '>')                                                                   \
                return i + 1;                                                                  \
            if (s[i] == '[') {                                                                 \
                Py_ssize_t j = i + 1;                                                          \
                while (j < n && s[j] != ']')                                                   \
                    j++;                                                                       \
                if (j >= n)                                                                    \
                    return -1;                                                                 \
                i = j + 1;                                                                     \
            } else                                                                             \
                i++;                                                                           \
        }                                                                                      \
        return -1;                                                                             \
    }                                                                                          \
    /* the offset of the next start tag's "<" at or after p, skipping what _START skips; n    \
     * if none */                                                                              \
    static Py_ssize_t next_tag_##SUF(const T *s, Py_ssize_t p, Py_ssize_t n)                   \
    {                                                                                          \
        for (;;) {                                                                             \
            if (sizeof(T) == 1) { /* memchr: the libc's wide loop */                           \
                const void *lt = memchr(s + p, '<', (size_t)(n - p));                          \
                p = lt ? (Py_ssize_t)((const T *)lt - s) : n;                                  \
            } else                                                                             \
                while (p < n && s[p] != '<')                                                   \
                    p++;                                                                       \
            if (p >= n)                                                                        \
                return n;                                                                      \
            Py_ssize_t q = -1;                                                                 \
            if (p + 1 < n && s[p + 1] == '/')                                                  \
                q = p + 2;                                                                     \
            else if (at_##SUF(s, p, n, "<!--"))                                                \
                q = past_##SUF(s, p + 4, n, '-', '-', '>');                                    \
            else if (at_##SUF(s, p, n, "<![CDATA["))                                           \
                q = past_##SUF(s, p + 9, n, ']', ']', '>');                                    \
            else if (at_##SUF(s, p, n, "<?"))                                                  \
                q = past_##SUF(s, p + 2, n, '?', '>', 0);                                      \
            else if (at_##SUF(s, p, n, "<!DOCTYPE"))                                           \
                q = doctype_##SUF(s, p + 9, n);                                                \
            if (q < 0)                                                                         \
                return p;                                                                      \
            p = q;                                                                             \
        }                                                                                      \
    }                                                                                          \
    /* whether a "<!" or "<?" starts at or after i */                                          \
    static int markup_from_##SUF(const T *s, Py_ssize_t i, Py_ssize_t n)                       \
    {                                                                                          \
        for (Py_ssize_t j = n - 2; j >= i; j--)                                                \
            if (s[j] == '<' && (s[j + 1] == '!' || s[j + 1] == '?'))                           \
                return 1;                                                                      \
        return 0;                                                                              \
    }

DEFINE_START_SCAN(Py_UCS1, 1)
DEFINE_START_SCAN(Py_UCS2, 2)
DEFINE_START_SCAN(Py_UCS4, 4)

typedef struct {
    PyObject_HEAD
    PyObject *text; /* the str scanned (a reference: its data stays put) */
    Py_ssize_t pos;  /* where the scan goes on */
    Py_ssize_t tag;  /* the offset of the last start tag found, -1 before the first */
    int done;
} StartScan;

static void StartScan_dealloc(StartScan *self)
{
    Py_XDECREF(self->text);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *StartScan_next(StartScan *self)
{
    if (self->done)
        return NULL;
    const void *data = PyUnicode_DATA(self->text);
    int kind = PyUnicode_KIND(self->text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(self->text), q, from;
    switch (kind) {
    case PyUnicode_1BYTE_KIND:
        q = next_tag_1(data, self->pos, n);
        break;
    case PyUnicode_2BYTE_KIND:
        q = next_tag_2(data, self->pos, n);
        break;
    default:
        q = next_tag_4(data, self->pos, n);
        break;
    }
    if (q < n) {
        self->tag = q;
        self->pos = q + 1;
        return PyLong_FromSsize_t(q + 1);
    }
    /* the end: the regex scan's last match ends the text, yielded while the Python scan is
     * still on _START (a "<!" or "<?" at or after the last start tag) */
    self->done = 1;
    from = self->tag < 0 ? 0 : self->tag;
    int tail;
    switch (kind) {
    case PyUnicode_1BYTE_KIND:
        tail = markup_from_1(data, from, n);
        break;
    case PyUnicode_2BYTE_KIND:
        tail = markup_from_2(data, from, n);
        break;
    default:
        tail = markup_from_4(data, from, n);
        break;
    }
    Py_CLEAR(self->text);
    if (tail)
        return PyLong_FromSsize_t(n);
    return NULL;
}

static PyTypeObject StartScanType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "tei.validate.rng.cwalk.StartScan",
    .tp_basicsize = sizeof(StartScan),
    .tp_dealloc = (destructor)StartScan_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "an iterator over the ends of start_tag_ends",
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = (iternextfunc)StartScan_next,
};

static PyObject *start_tag_ends(PyObject *self, PyObject *text)
{
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "start_tag_ends: a str is needed");
        return NULL;
    }
#if PY_VERSION_HEX < 0x030C0000 /* a no-op, deprecated, from 3.12 on */
    if (PyUnicode_READY(text) < 0)
        return NULL;
#endif
    StartScan *it = PyObject_New(StartScan, &StartScanType);
    if (!it)
        return NULL;
    Py_INCREF(text);
    it->text = text;
    it->pos = 0;
    it->tag = -1;
    it->done = 0;
    return (PyObject *)it;
}

static PyMethodDef module_methods[] = {
    {"probe", probe, METH_O, "the name, namespace, line and first child read through C"},
    {"ids_distinct", ids_distinct, METH_O,
     "whether the xml:id values of an element and its descendants are certainly distinct"},
    {"fast_value", py_fast_value, METH_VARARGS,
     "fast_value(kind, value): the C walk's own verdict on a value, or None"},
    {"start_tag_ends", start_tag_ends, METH_O,
     "start_tag_ends(text): 1 + the offset of each start tag, as positions._start_tag_ends"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef walk_module = {
    PyModuleDef_HEAD_INIT, "cwalk", "The derivative RELAX NG walk in C (see derivative.py).", -1,
    module_methods,
};

PyMODINIT_FUNC PyInit_cwalk(void)
{
    if (import_lxml__etree() < 0)
        return NULL;
    PyObject *etree = PyImport_ImportModule("lxml.etree");
    if (!etree)
        return NULL;
    PyObject *t = PyObject_GetAttrString(etree, "_Element");
    Py_DECREF(etree);
    if (!t)
        return NULL;
    if (!PyType_Check(t)) {
        Py_DECREF(t);
        PyErr_SetString(PyExc_ImportError, "lxml.etree._Element is not a type");
        return NULL;
    }
    ElementType = (PyTypeObject *)t;
    if (PyType_Ready(&WalkerType) < 0 || PyType_Ready(&StartScanType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&walk_module);
    if (!m)
        return NULL;
    Py_INCREF(&WalkerType);
    if (PyModule_AddObject(m, "Walker", (PyObject *)&WalkerType) < 0 ||
        PyModule_AddStringConstant(m, "LXML_VERSION", LXML_VERSION_STRING) < 0 ||
        PyModule_AddIntConstant(m, "LIBXML_VERSION", LIBXML_VERSION) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
