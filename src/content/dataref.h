/* Data references in text: a paragraph (or any text field) quotes a value of the data
 * section, or a figure computed from such values, so that no number is typed twice.
 *
 *   {{t3.new_received.total}}                      the datum as written ("62")
 *   {{sum t3.disclosed.total t3.partly.total}}     a sum ("43"); diff a b: a − b
 *   {{pct t3.disclosed.total t3.results_total.total}}      a share, rounded half up: "66%"
 *   {{yoy t3.new_received.total 50}}               a change on a previous value: "24%"
 *
 * pct and yoy take an optional last argument, the number of decimals (0 to 3, default 0).
 * Operands are data paths or literal numbers. References are replaced when the content is
 * loaded (docs/content.md, "Data references"); an unknown path, a blank value, a value that
 * is no number where one is needed, or a division by zero is an error at the reference. */
#ifndef NB_DATAREF_H
#define NB_DATAREF_H

#include <stddef.h>

#include "base/diag.h"
#include "content/model.h"

/* Replaces the references in every text field of `doc` (meta, blocks, table captions and
 * cells). Uses doc->src for the positions of messages. Returns the number of errors. */
int nb_dataref_resolve(nb_doc *doc, nb_diags *d);

/* Expands the references in `s` (a scalar that starts at `pos`); returns `s` itself when
 * it has none. The result lives in doc->arena. */
const char *nb_dataref_expand(nb_doc *doc, const char *s, nb_pos pos, nb_diags *d);

/* The source position of byte `off` of the value `s` of a scalar starting at `scalar`:
 * exact when the text around it stands in the source as it is in the value (plain and
 * quoted scalars without escapes, one line around the spot), else the scalar's own
 * position. `src` may be NULL (then the scalar's position). */
nb_pos nb_source_pos(const char *src, size_t srclen, nb_pos scalar, const char *s, size_t off,
                     size_t len);

#endif
