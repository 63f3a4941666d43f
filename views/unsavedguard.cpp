#include "unsavedguard.h"

#include <QMessageBox>
#include <QPushButton>

namespace transmla::views {

bool UnsavedGuard::confirmDiscard(QWidget* parent, const QString& action, const std::function<bool()>& save) {
    if (!unsaved_) return true;
    QMessageBox box(QMessageBox::Question, tr("Unsaved results"),
                    tr("The results of this session have not been saved. %1 discards them.").arg(action),
                    QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, parent);
    box.setObjectName(QStringLiteral("unsavedResultsBox"));
    box.setInformativeText(tr("Save them as a session first?"));
    box.setDefaultButton(QMessageBox::Save);
    box.setEscapeButton(QMessageBox::Cancel);
    switch (box.exec()) {
    case QMessageBox::Save:
        return save() && !unsaved_; // a cancelled file chooser keeps the results
    case QMessageBox::Discard:
        unsaved_ = false;
        return true;
    default:
        return false;
    }
}

} // namespace transmla::views
