// transmla-workbench: the GUI. Thin: set up the application, open the demo model, show the window.
#include <QApplication>
#include <QCommandLineParser>
#include <QLocale>

#include "mainwindow.h"
#include "translations.h"
#include "util/resources.h"
#include "util/threads.h"

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    transmla::useAllCores();
    transmla::ignoreFileSizeSignal();
    QApplication::setApplicationName(QStringLiteral("transmla-workbench"));
    QApplication::setOrganizationName(QStringLiteral("transmla-workbench"));
    QApplication::setApplicationVersion(QStringLiteral("0.1.0"));

    // The system locale (LANG / LC_ALL; LANGUAGE orders the UI languages) picks the translation.
    transmla::views::installTranslations(QLocale());

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Convert GQA models to MLA and inspect the result"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("model"), QStringLiteral("model folder to open (default: the demo model)"));
    const QCommandLineOption classroom(QStringLiteral("classroom"), QStringLiteral("start in classroom mode (big fonts, guided demo)"));
    parser.addOption(classroom);
    parser.process(app);

    transmla::views::MainWindow window;
    QString model = parser.positionalArguments().value(0);
    if (model.isEmpty()) {
        try {
            const auto res = transmla::findResources(transmla::executableDir(), TRANSMLA_SOURCE_RESOURCES);
            model = QString::fromStdString(transmla::demoModelDir(res).string());
        } catch (const std::exception&) {
            // No bundled resources: start empty; File > Open model folder still works.
        }
    }
    if (!model.isEmpty()) window.openModel(model);
    window.setClassroomMode(parser.isSet(classroom));
    window.show();
    return app.exec();
}
