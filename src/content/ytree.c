#include "content/ytree.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

typedef struct {
  nb_arena *arena;
  yaml_parser_t parser;
  const char *file;
  nb_diags *d;
  int depth;
} loader;

enum { MAX_DEPTH = 64 };

static nb_pos pos_of(loader *L, yaml_mark_t m) {
  return (nb_pos){L->file, (int)m.line + 1, (int)m.column + 1};
}

static nb_ynode *new_node(loader *L, nb_ykind k, yaml_mark_t m) {
  nb_ynode *n = nb_arena_alloc(L->arena, sizeof *n);
  n->kind = k;
  n->pos = pos_of(L, m);
  return n;
}

static int next_event(loader *L, yaml_event_t *ev) {
  if (!yaml_parser_parse(&L->parser, ev)) {
    /* Text that starts with ** (bold) reads as a YAML alias: say how to write it. */
    const char *ctx = L->parser.context ? L->parser.context : "";
    int star = strstr(ctx, "alias") || strstr(ctx, "anchor");
    nb_error(L->d, pos_of(L, L->parser.problem_mark), "invalid YAML: %s%s%s%s",
             L->parser.problem ? L->parser.problem : "syntax error", *ctx ? " " : "", ctx,
             star ? "; quote text that starts with * or &, e.g. \"**bold** text\"" : "");
    return 0;
  }
  return 1;
}

static nb_ynode *load_node(loader *L, yaml_event_t *ev);

static nb_ynode *load_children(loader *L, nb_ynode *n, yaml_event_type_t end) {
  VEC(nb_ynode *) keys = {0};
  VEC(nb_ynode *) vals = {0};
  nb_ynode *result = n;
  for (;;) {
    yaml_event_t ev;
    if (!next_event(L, &ev)) {
      result = NULL;
      break;
    }
    if (ev.type == end) {
      yaml_event_delete(&ev);
      break;
    }
    nb_ynode *c = load_node(L, &ev);
    yaml_event_delete(&ev);
    if (!c) {
      result = NULL;
      break;
    }
    if (n->kind == NB_Y_MAP && keys.n == vals.n) {
      if (c->kind != NB_Y_SCALAR) {
        nb_error(L->d, c->pos, "mapping keys must be plain strings");
        result = NULL;
        break;
      }
      VEC_PUSH(keys, c);
    } else
      VEC_PUSH(vals, c);
  }
  if (result) {
    n->n = vals.n;
    if (vals.n) {
      n->vals = nb_arena_alloc(L->arena, vals.n * sizeof(nb_ynode *));
      memcpy(n->vals, vals.v, vals.n * sizeof(nb_ynode *));
    }
    if (n->kind == NB_Y_MAP && keys.n) {
      n->keys = nb_arena_alloc(L->arena, keys.n * sizeof(nb_ynode *));
      memcpy(n->keys, keys.v, keys.n * sizeof(nb_ynode *));
    }
  }
  free(keys.v);
  free(vals.v);
  return result;
}

static nb_ynode *load_node(loader *L, yaml_event_t *ev) {
  nb_ynode *n;
  switch (ev->type) {
  case YAML_SCALAR_EVENT:
    n = new_node(L, NB_Y_SCALAR, ev->start_mark);
    n->str =
        nb_arena_strndup(L->arena, (const char *)ev->data.scalar.value, ev->data.scalar.length);
    n->len = ev->data.scalar.length;
    n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    return n;
  case YAML_SEQUENCE_START_EVENT:
  case YAML_MAPPING_START_EVENT:
    if (++L->depth > MAX_DEPTH) {
      nb_error(L->d, pos_of(L, ev->start_mark), "nesting deeper than %d levels", MAX_DEPTH);
      return NULL;
    }
    n = new_node(L, ev->type == YAML_MAPPING_START_EVENT ? NB_Y_MAP : NB_Y_SEQ, ev->start_mark);
    n = load_children(L, n,
                      ev->type == YAML_MAPPING_START_EVENT ? YAML_MAPPING_END_EVENT
                                                           : YAML_SEQUENCE_END_EVENT);
    L->depth--;
    return n;
  case YAML_ALIAS_EVENT:
    nb_error(L->d, pos_of(L, ev->start_mark),
             "YAML aliases (*name) are not supported; repeat the value instead");
    return NULL;
  default:
    nb_error(L->d, pos_of(L, ev->start_mark), "unexpected YAML event");
    return NULL;
  }
}

nb_ynode *nb_yaml_load(nb_arena *arena, const char *path, const char *text, size_t len,
                       nb_diags *d) {
  loader L = {.arena = arena, .file = nb_arena_strdup(arena, path), .d = d};
  char *owned = NULL;
  if (!text) {
    owned = nb_read_file(path, &len);
    if (!owned) {
      nb_error(d, ((nb_pos){L.file, 0, 0}), "cannot read file: %s", strerror(errno));
      return NULL;
    }
    text = owned;
  }
  yaml_parser_initialize(&L.parser);
  yaml_parser_set_input_string(&L.parser, (const unsigned char *)text, len);
  nb_ynode *root = NULL;
  yaml_event_t ev;
  int ok = 1, docs = 0;
  while (ok) {
    if (!next_event(&L, &ev)) {
      ok = 0;
      break;
    }
    yaml_event_type_t t = ev.type;
    if (t == YAML_STREAM_END_EVENT) {
      yaml_event_delete(&ev);
      break;
    }
    if (t == YAML_DOCUMENT_START_EVENT && ++docs > 1) {
      nb_error(d, pos_of(&L, ev.start_mark), "only one YAML document per file is allowed");
      ok = 0;
    } else if (t == YAML_SCALAR_EVENT || t == YAML_SEQUENCE_START_EVENT ||
               t == YAML_MAPPING_START_EVENT || t == YAML_ALIAS_EVENT) {
      root = load_node(&L, &ev);
      if (!root) ok = 0;
    }
    yaml_event_delete(&ev);
  }
  yaml_parser_delete(&L.parser);
  free(owned);
  if (!ok) return NULL;
  if (!root || (root->kind == NB_Y_SCALAR && root->plain && root->len == 0)) {
    root = nb_arena_alloc(arena, sizeof *root);
    root->kind = NB_Y_MAP;
    root->pos = (nb_pos){L.file, 1, 1};
  }
  return root;
}

nb_ynode *nb_ymap_get(const nb_ynode *map, const char *key) {
  if (!map || map->kind != NB_Y_MAP) return NULL;
  for (size_t i = 0; i < map->n; i++)
    if (strcmp(map->keys[i]->str, key) == 0) return map->vals[i];
  return NULL;
}

int nb_y_is_null(const nb_ynode *n) {
  return !n || (n->kind == NB_Y_SCALAR && n->plain &&
                (n->len == 0 || !strcmp(n->str, "~") || !strcmp(n->str, "null")));
}

const char *nb_ykind_name(const nb_ynode *n) {
  if (!n) return "nothing";
  if (n->kind == NB_Y_MAP) return "a mapping";
  if (n->kind == NB_Y_SEQ) return "a list";
  if (nb_y_is_null(n)) return "an empty value";
  long l;
  if (nb_y_int(n, &l)) return "a number";
  return "a string";
}

int nb_y_want(const nb_ynode *n, nb_ykind kind, const char *what, nb_diags *d) {
  if (n && n->kind == kind) return 1;
  nb_error(d, n ? n->pos : (nb_pos){0}, "expected %s, found %s", what, nb_ykind_name(n));
  return 0;
}

int nb_y_int(const nb_ynode *n, long *out) {
  if (!n || n->kind != NB_Y_SCALAR || !n->plain || !n->len) return 0;
  char *end;
  errno = 0;
  long v = strtol(n->str, &end, 10);
  if (*end || errno) return 0;
  *out = v;
  return 1;
}

int nb_y_number(const nb_ynode *n, double *out) {
  if (!n || n->kind != NB_Y_SCALAR || !n->plain || !n->len) return 0;
  char *end;
  double v = strtod(n->str, &end);
  if (*end) return 0;
  *out = v;
  return 1;
}

int nb_y_bool(const nb_ynode *n, int *out) {
  if (!n || n->kind != NB_Y_SCALAR || !n->plain) return 0;
  if (!strcmp(n->str, "true") || !strcmp(n->str, "yes")) {
    *out = 1;
    return 1;
  }
  if (!strcmp(n->str, "false") || !strcmp(n->str, "no")) {
    *out = 0;
    return 1;
  }
  return 0;
}

static const nb_ynode *sort_map;
static int by_key(const void *a, const void *b) {
  size_t i = *(const size_t *)a, j = *(const size_t *)b;
  int c = strcmp(sort_map->keys[i]->str, sort_map->keys[j]->str);
  return c ? c : (i > j) - (i < j);
}

/* For each key, the index of its first occurrence: sorted once, not compared pairwise (a
 * hostile map of many keys would be quadratic). */
size_t *nb_ymap_first(const nb_ynode *map) {
  size_t n = map->n, *order = nb_xmalloc((n + 1) * sizeof *order),
         *first = nb_xmalloc((n + 1) * sizeof *first);
  for (size_t i = 0; i < n; i++) order[i] = i;
  sort_map = map;
  qsort(order, n, sizeof *order, by_key);
  for (size_t k = 0; k < n; k++) {
    size_t i = order[k];
    first[i] = (k > 0 && !strcmp(map->keys[order[k - 1]]->str, map->keys[i]->str))
                   ? first[order[k - 1]]
                   : i;
  }
  free(order);
  return first;
}

int nb_ymap_check_keys(const nb_ynode *map, const char *const *allowed, const char *ctx,
                       nb_diags *d) {
  int errs = 0;
  if (!map || map->kind != NB_Y_MAP) return 0;
  size_t *first = nb_ymap_first(map);
  for (size_t i = 0; i < map->n; i++) {
    const char *k = map->keys[i]->str;
    if (first[i] != i) {
      nb_error(d, map->keys[i]->pos, "duplicate key '%s' in %s (first at line %d)", k, ctx,
               map->keys[first[i]]->pos.line);
      errs++;
    }
    int found = 0, best = 99;
    const char *sugg = NULL;
    for (const char *const *a = allowed; *a; a++) {
      if (!strcmp(*a, k)) {
        found = 1;
        break;
      }
      int dist = nb_edit_distance(k, *a);
      if (dist < best) {
        best = dist;
        sugg = *a;
      }
    }
    if (found) continue;
    errs++;
    size_t kl = strlen(k);
    if (sugg && best <= (kl < 5 ? 1 : kl < 9 ? 2 : 3))
      nb_error(d, map->keys[i]->pos, "unknown key '%s' in %s; did you mean '%s'?", k, ctx, sugg);
    else {
      nb_buf b = {0};
      for (const char *const *a = allowed; *a; a++)
        nb_buf_printf(&b, "%s%s", a == allowed ? "" : ", ", *a);
      nb_error(d, map->keys[i]->pos, "unknown key '%s' in %s; expected one of: %s", k, ctx,
               b.s ? b.s : "(none)");
      nb_buf_free(&b);
    }
  }
  free(first);
  return errs;
}
