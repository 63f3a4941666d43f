#include "translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QTranslator>

namespace transmla::views {

bool installTranslations(const QLocale& locale) {
    static QTranslator* own = nullptr;
    static QTranslator* qt = nullptr;
    for (QTranslator** t : {&own, &qt}) {
        if (*t) QCoreApplication::removeTranslator(*t);
        delete *t;
        *t = new QTranslator;
    }
    const bool found =
        own->load(locale, QStringLiteral("transmla"), QStringLiteral("_"), QStringLiteral(":/i18n"));
    if (found) QCoreApplication::installTranslator(own);
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    return found;
}

} // namespace transmla::views
