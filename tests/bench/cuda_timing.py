"""CUDA-event timing shared by the PyTorch benchmark scripts of tests/bench (run on the GPU machine)."""
import torch


def timed_ms(fn, reps):
    """Mean milliseconds of fn over reps calls, after one warm-up call (which also raises what fn raises)."""
    fn()
    torch.cuda.synchronize()
    start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    start.record()
    for _ in range(reps):
        fn()
    stop.record()
    torch.cuda.synchronize()
    return start.elapsed_time(stop) / reps
