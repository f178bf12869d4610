/* The page builder: boxes → pages, honouring keep-with-next, forced breaks and the
 * repeated header rows of tables; then page numbers. */
#ifndef NB_PAGINATE_H
#define NB_PAGINATE_H

#include "layout/flow.h"

/* `draft`: print the layout's draft mark (征求意见稿 / DRAFT) across every page. */
void nb_paginate(nb_flow *flow, const nb_doc *doc, nb_textctx *tc, nb_pages *pages, nb_arena *arena,
                 int draft);

#endif
