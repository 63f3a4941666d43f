// QCustomPlot through one door: its header uses `foreach (T x, container)`, which QT_NO_FOREACH (set
// for views) removes; a range-for stands in for it while the header is read (its uses only read).
#pragma once
#include <qglobal.h>
#ifndef foreach
#define foreach(declaration, container) for (declaration : container)
#define TRANSMLA_UNDEF_FOREACH
#endif
#include <qcustomplot.h>
#ifdef TRANSMLA_UNDEF_FOREACH
#undef foreach
#undef TRANSMLA_UNDEF_FOREACH
#endif
