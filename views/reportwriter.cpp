#include "reportwriter.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include "plotview.h"

namespace transmla::views {

namespace {
// File names from the plot's position: titles may hold characters a file name should not.
QString pngName(size_t i) {
    return QStringLiteral("plot-%1.png").arg(i + 1);
}
} // namespace

QString ReportWriter::write(const QString& dir, const results::AuditRecord& record,
                            const std::vector<std::pair<QString, PlotView*>>& plots) {
    const QFileInfo target(dir);
    const QString path = target.absoluteFilePath();
    if (target.exists() && !target.isDir())
        return tr("%1 exists and is not a folder: nothing written.").arg(path);
    const bool replacing = target.exists() && !QDir(path).isEmpty();
    if (replacing && !QFileInfo::exists(path + QStringLiteral("/report.md")))
        return tr("%1 is a folder that holds other files, not a report: nothing written. Choose a new or "
                  "empty folder.")
            .arg(path);
    const QString pid = QString::number(QCoreApplication::applicationPid());
    const QString tmp = path + QStringLiteral(".tmp-") + pid, old = path + QStringLiteral(".old-") + pid;
    QDir(tmp).removeRecursively();
    if (!QDir().mkpath(tmp)) return tr("Cannot create %1: nothing written.").arg(tmp);
    auto fail = [&](const QString& why) {
        QDir(tmp).removeRecursively();
        return why;
    };
    std::vector<std::pair<std::string, std::string>> images;
    for (size_t i = 0; i < plots.size(); ++i) {
        PlotView* p = plots[i].second;
        if (!p || !p->hasData()) continue;
        if (!p->exportTo(tmp + QLatin1Char('/') + pngName(i)))
            return fail(
                tr("Cannot write the plot \"%1\" into %2: nothing written.").arg(plots[i].first, path));
        images.emplace_back(plots[i].first.toStdString(), pngName(i).toStdString());
    }
    QFile md(tmp + QStringLiteral("/report.md"));
    const std::string text = record.toMarkdown(images);
    if (!md.open(QIODevice::WriteOnly) || md.write(text.data(), qint64(text.size())) != qint64(text.size()) ||
        !md.flush())
        return fail(tr("Cannot write %1: nothing written.").arg(path + QStringLiteral("/report.md")));
    md.close();
    // The old report (or an empty folder) moves aside, the new one takes its name, then the old goes.
    if (target.exists() && !QDir().rename(path, old))
        return fail(tr("Cannot replace %1: nothing written.").arg(path));
    if (!QDir().rename(tmp, path)) {
        if (QFileInfo::exists(old)) QDir().rename(old, path);
        return fail(tr("Cannot write %1: nothing written.").arg(path));
    }
    QDir(old).removeRecursively();
    return {};
}

} // namespace transmla::views
