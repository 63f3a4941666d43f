// transmla-workbench: the GUI. Thin: set up the application, open the demo model, show the window.
#include <QApplication>
#include <QCommandLineParser>
#include <QLocale>
#include <QTimer>
#include <QTranslator>
#include <cstdio>

#include "mainwindow.h"
#include "translations.h"
#include "util/resources.h"
#include "util/threads.h"
#include "util/version.h"

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    transmla::useAllCores();
    transmla::ignoreFileSizeSignal();
    QApplication::setApplicationName(QStringLiteral("transmla-workbench"));
    QApplication::setOrganizationName(QStringLiteral("transmla-workbench"));
    QApplication::setApplicationVersion(QString::fromLatin1(transmla::kVersion));

    // The system locale (LANG / LC_ALL; LANGUAGE orders the UI languages) picks the translation.
    transmla::views::installTranslations(QLocale());

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Convert GQA models to MLA and inspect the result"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("model"),
                                 QStringLiteral("model folder to open (default: the demo model)"));
    const QCommandLineOption classroom(QStringLiteral("classroom"),
                                       QStringLiteral("start in classroom mode (big fonts, guided demo)"));
    parser.addOption(classroom);
    // For installer/deb-check.sh: open the model (default: the bundled demo) in the window, print
    // where the resources were found, quit: 0 when the model opened, 1 when not, 2 on a time-out.
    const QCommandLineOption selfTest(QStringLiteral("self-test"),
                                      QStringLiteral("open the model, print the resources folder, quit"));
    parser.addOption(selfTest);
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
    if (parser.isSet(selfTest)) {
        try {
            const auto res = transmla::findResources(transmla::executableDir(), TRANSMLA_SOURCE_RESOURCES);
            std::printf("self-test: resources %s\n", res.string().c_str());
        } catch (const std::exception& e) {
            std::printf("self-test: %s\n", e.what());
            return 1;
        }
        QObject::connect(&window, &transmla::views::MainWindow::modelLoaded, &app, [](const QString& dir) {
            std::printf("self-test: opened %s\n", qPrintable(dir));
            QApplication::exit(0);
        });
        QObject::connect(&window, &transmla::views::MainWindow::modelLoadFailed, &app,
                         [](const QString& dir, const QString& why) {
                             std::printf("self-test: cannot open %s: %s\n", qPrintable(dir), qPrintable(why));
                             QApplication::exit(1);
                         });
        QTimer::singleShot(60000, &app, [] { QApplication::exit(2); });
        std::fflush(stdout);
    }
    if (!model.isEmpty()) window.openModel(model);
    window.setClassroomMode(parser.isSet(classroom));
    window.show();
    return app.exec();
}
