// Many Qt Test classes in one executable (a cold build then compiles, mocs and links them once, in unity
// batches, instead of once per file). Each tst_*.cpp ends with TRANSMLA_TEST_MAIN(tst_name, Class) in
// place of QTEST_MAIN: it registers a runner under the file's name, and testmain.cpp's main() runs the
// class named by argv[1] (ctest: `transmla_core_tests tst_name [QTest args]`) or by argv[0]'s file name
// (the tst_name links next to the executable), with the arguments QTest::qExec would have had.
#pragma once
#include <QtTest/QtTest>

namespace transmla::test {

using TestRunner = int (*)(int argc, char** argv);
// Returns true; called from the static initializer the macro defines.
bool registerTest(const char* name, TestRunner run);

// What QTEST_MAIN / QTEST_GUILESS_MAIN do: the application object first (QApplication for the views'
// suites: TRANSMLA_TEST_MAIN_APP), then the test object, then qExec.
template <class TestObject, class App> int runQTest(int argc, char** argv, const char* sourceFile) {
    App app(argc, argv);
    app.setAttribute(Qt::AA_Use96Dpi, true);
    TestObject tc;
#ifdef QT_TESTCASE_BUILDDIR
    QTest::setMainSourcePath(sourceFile, QT_TESTCASE_BUILDDIR);
#else
    QTest::setMainSourcePath(sourceFile);
#endif
    return QTest::qExec(&tc, argc, argv);
}

} // namespace transmla::test

#define TRANSMLA_TEST_MAIN_APP(name, TestObject, App)                                                        \
    [[maybe_unused]] static const bool name##_registered =                                                   \
        ::transmla::test::registerTest(#name, [](int argc, char** argv) {                                    \
            return ::transmla::test::runQTest<TestObject, App>(argc, argv, __FILE__);                        \
        });
// QTEST_GUILESS_MAIN / QTEST_MAIN of a suite that needs no GUI.
#define TRANSMLA_TEST_MAIN(name, TestObject) TRANSMLA_TEST_MAIN_APP(name, TestObject, QCoreApplication)
