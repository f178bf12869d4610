/* A YAML document as a tree of scalars, maps and sequences, each node with its
 * source position. Every later stage reads this tree, never libyaml events, so
 * that schema errors can always name FILE:LINE:COL. */
#ifndef NB_YTREE_H
#define NB_YTREE_H

#include <stddef.h>

#include "base/diag.h"
#include "base/util.h"

typedef enum { NB_Y_SCALAR, NB_Y_MAP, NB_Y_SEQ } nb_ykind;

typedef struct nb_ynode nb_ynode;
struct nb_ynode {
  nb_ykind kind;
  nb_pos pos;
  /* scalar */
  const char *str; /* NUL-terminated UTF-8; never NULL for a scalar */
  size_t len;
  int plain; /* 1 for a plain (unquoted) scalar: only those can be numbers, null, bools */
  /* map: keys[i] -> vals[i]; seq: vals[i] */
  size_t n;
  nb_ynode **keys;
  nb_ynode **vals;
};

/* Parses the file (or `text` if non-NULL, with `path` used for positions). Returns the
 * root or NULL after adding errors to `d`. All nodes live in `arena`. An empty document
 * gives an empty map. Aliases and multiple documents are errors. */
nb_ynode *nb_yaml_load(nb_arena *arena, const char *path, const char *text, size_t len,
                       nb_diags *d);

/* Lookups and typed reads. The `want_*` helpers add an error naming what was
 * expected and return 0/false when the node has another type. */
nb_ynode *nb_ymap_get(const nb_ynode *map, const char *key);
int nb_y_is_null(const nb_ynode *n);
const char *nb_ykind_name(const nb_ynode *n); /* "a mapping", "a list", "a string" … */
int nb_y_want(const nb_ynode *n, nb_ykind kind, const char *what, nb_diags *d);
int nb_y_int(const nb_ynode *n, long *out); /* 1 if a plain integer scalar */
int nb_y_number(const nb_ynode *n, double *out);
int nb_y_bool(const nb_ynode *n, int *out);

/* For each key of a map, the index of the first key equal to it (itself when it is not a
 * duplicate); n log n. The caller frees the array. */
size_t *nb_ymap_first(const nb_ynode *map);

/* Checks that every key of `map` is in the NULL-terminated `allowed` list; each
 * unknown key is an error "unknown key 'x' in <ctx>; did you mean 'y'?" (or the list of
 * allowed keys). Duplicate keys are errors too. Returns the number of errors. */
int nb_ymap_check_keys(const nb_ynode *map, const char *const *allowed, const char *ctx,
                       nb_diags *d);

#endif
