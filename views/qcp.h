// QCustomPlot through one door: its header uses `foreach`, which QT_NO_FOREACH (set for views) removes.
#pragma once
#ifdef QT_NO_FOREACH
#undef QT_NO_FOREACH
#define TRANSMLA_RESTORE_NO_FOREACH
#endif
#include <qglobal.h>
#ifndef foreach
#define foreach Q_FOREACH
#define TRANSMLA_UNDEF_FOREACH
#endif
#include <qcustomplot.h>
#ifdef TRANSMLA_UNDEF_FOREACH
#undef foreach
#undef TRANSMLA_UNDEF_FOREACH
#endif
#ifdef TRANSMLA_RESTORE_NO_FOREACH
#define QT_NO_FOREACH
#undef TRANSMLA_RESTORE_NO_FOREACH
#endif
