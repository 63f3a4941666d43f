// One background job at a time, hotspot-style: the work gets a copy of its inputs and a Progress
// (report + CancelToken), runs in QtConcurrent, and its result comes back to the GUI thread by value.
// Every job carries an id; a result whose id is stale (a newer job started) is dropped.
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
    static QString cancelledMessage() { return tr("Cancelled"); } // what finished() says for a cancelled job
    QString currentJob() const { return name_; }
    quint64 jobId() const { return jobId_; }

    // work(const Progress&) -> T runs in a worker thread; done(T) in the GUI thread.
    template <typename T, typename Work>
    void start(const QString& name, Work work, std::function<void(T)> done) {
        cancel(); // the old job's result, if it still comes, is stale
        const quint64 id = ++jobId_;
        auto token = std::make_shared<CancelToken>();
        token_ = token;
        busy_ = true;
        name_ = name;
        QPointer<JobRunner> self(this);
        const Progress progress{[self, id](int64_t d, int64_t t, const std::string& stage) {
                                    QMetaObject::invokeMethod(
                                        self, [self, id, d, t, s = QString::fromStdString(stage)] {
                                            if (self && self->jobId_ == id) emit self->progressed(d, t, s);
                                        },
                                        Qt::QueuedConnection);
                                },
                                token.get()};
        struct Outcome {
            std::optional<T> value;
            QString error;
            bool cancelled = false;
        };
        QFuture<Outcome> worker = QtConcurrent::run([work, progress, token]() {
            Outcome o;
            try {
                o.value.emplace(work(progress));
            } catch (const Cancelled&) {
                o.cancelled = true;
            } catch (const std::exception& e) {
                o.error = QString::fromStdString(userMessage(e)); // out of memory: with a suggestion
            }
            return o;
        });
        wait_ = [worker]() mutable { worker.waitForFinished(); };
        worker.then(this, [this, id, name, done](Outcome o) {
            if (id != jobId_) return; // stale
            busy_ = false;
            if (o.value) {
                done(std::move(*o.value));
                emit finished(name, true, QString());
            } else {
                emit finished(name, false, o.cancelled ? cancelledMessage() : o.error);
            }
        });
        emit started(name);
    }

public slots:
    void cancel() {
        if (token_) token_->cancel();
    }
    // Only on shutdown: cancels and blocks until the worker has stopped.
    void cancelAndWait() {
        cancel();
        if (wait_) wait_();
    }

signals:
    void started(const QString& name);
    void progressed(qint64 done, qint64 total, const QString& stage);
    void finished(const QString& name, bool ok, const QString& message); // message: the error or "Cancelled"

private:
    std::shared_ptr<CancelToken> token_;
    std::function<void()> wait_;
    quint64 jobId_ = 0;
    bool busy_ = false;
    QString name_;
};

} // namespace transmla::views
