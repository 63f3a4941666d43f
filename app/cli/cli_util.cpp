#include "cli_util.h"

#include <csignal>

namespace transmla::cli {

namespace {
CancelToken* gToken = nullptr;
extern "C" void onSigint(int) {
    if (gToken) gToken->cancel();
}
} // namespace

void cancelOnSigint(CancelToken& token) {
    gToken = &token;
    std::signal(SIGINT, onSigint);
}

} // namespace transmla::cli
