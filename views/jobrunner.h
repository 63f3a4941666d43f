// One background job at a time, hotspot-style: the work gets a copy of its inputs and a Progress
// (report + CancelToken), runs in QtConcurrent, and its result comes back to the GUI thread by value.
// A second start() while a job runs is refused (never a silent replacement of the running job);
// callers disable their actions on busyChanged and tell the user when refused.
#pragma once
#include <QFuture>
#include <QObject>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>
#include <functional>
#include <memory>
#include <optional>

#include "util/error.h"
#include "util/error_text.h"
#include "util/progress.h"

namespace transmla::views {

class JobRunner : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    ~JobRunner() override { cancelAndWait(); }

    bool isBusy() const { return busy_; }
    bool isCancelling() const { return busy_ && cancelling_; }
    static QString cancelledMessage() { return tr("Cancelled"); } // what finished() says for a cancelled job
    QString currentJob() const { return name_; }
    quint64 jobId() const { return jobId_; }

    // work(const Progress&) -> T runs in a worker thread; done(T) in the GUI thread. Returns false
    // (and emits refused) when another job is running.
    template <typename T, typename Work>
    bool start(const QString& name, Work work, std::function<void(T)> done) {
        if (busy_) {
            emit refused(name, name_);
            return false;
        }
        const quint64 id = ++jobId_;
        auto token = std::make_shared<CancelToken>();
        token_ = token;
        busy_ = true;
        cancelling_ = false;
        name_ = name;
        // Announced before the worker exists: a job that fails at once still finishes after it started.
        emit started(name);
        emit busyChanged(true);
        QPointer<JobRunner> self(this); // alive while the worker runs: the destructor waits for it
        const Progress progress{[self, id](int64_t d, int64_t t, const std::string& stage) {
                                    QMetaObject::invokeMethod(
                                        self,
                                        [self, id, d, t, s = QString::fromStdString(stage)] {
                                            if (self && self->busy_ && self->jobId_ == id)
                                                emit self->progressed(d, t, s);
                                        },
                                        Qt::QueuedConnection);
                                },
                                token.get()};
        struct Outcome {
            std::optional<T> value;
            QString error;
            bool cancelled = false;
        };
        worker_ = QtConcurrent::run([self, id, name, done, work, progress, token]() {
            auto o = std::make_shared<Outcome>();
            try {
                o->value.emplace(work(progress));
            } catch (const Cancelled&) {
                o->cancelled = true;
            } catch (const std::exception& e) {
                o->error = QString::fromStdString(userMessage(e)); // out of memory: with a suggestion
            } catch (...) {
                o->error = tr("unexpected error");
            }
            // Always queued, also for a job that ends at once: finished() never precedes started().
            QMetaObject::invokeMethod(
                self,
                [self, id, name, done, o] {
                    if (!self || self->jobId_ != id || !self->busy_) return;
                    self->busy_ = false;
                    self->cancelling_ = false;
                    self->token_.reset();
                    QString message = o->cancelled ? cancelledMessage() : o->error;
                    bool ok = o->value.has_value();
                    if (ok) {
                        try {
                            done(std::move(*o->value));
                        } catch (const std::exception& e) { // showing a result must not end the program
                            ok = false;
                            message = QString::fromStdString(userMessage(e));
                        }
                    }
                    emit self->busyChanged(false);
                    emit self->finished(name, ok, message);
                },
                Qt::QueuedConnection);
        });
        return true;
    }

public slots:
    // Asks the running job to stop; it ends at its next cancel check (finished() says "Cancelled").
    void cancel() {
        if (!busy_ || cancelling_ || !token_) return;
        token_->cancel();
        cancelling_ = true;
        emit cancelling(name_);
    }
    // Only on shutdown: cancels and blocks until the worker has stopped.
    void cancelAndWait() {
        cancel();
        worker_.waitForFinished();
    }

signals:
    void started(const QString& name);
    void busyChanged(bool busy);
    void cancelling(const QString& name); // cancel was asked: show it at once, the job ends soon after
    void refused(const QString& name, const QString& running); // start() while `running` runs
    void progressed(qint64 done, qint64 total, const QString& stage);
    void finished(const QString& name, bool ok, const QString& message); // message: the error or "Cancelled"

private:
    std::shared_ptr<CancelToken> token_;
    QFuture<void> worker_;
    quint64 jobId_ = 0;
    bool busy_ = false, cancelling_ = false;
    QString name_;
};

} // namespace transmla::views
