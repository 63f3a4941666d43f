// Programmatic dependent launches (Hopper and later) for the kernels of core/kernels: a kernel launched as
// the dependent of the one ahead of it in its stream may start while that one still runs, once it lets it
// (allowDependents), and waits for it (waitForPrimary) before reading its output. dependentLaunch()
// (decode_attention_launch.h) decides whether launches ask for it; the device side is a no-op otherwise.
#pragma once
#include <cuda_runtime.h>

#include "kernels/decode_attention_launch.h"

namespace transmla::kernels {

// Lets this grid's programmatic dependent be scheduled now: its blocks take the multiprocessors this grid
// leaves as it ends and wait there for its output, instead of being launched only after the last block ends.
__device__ inline void allowDependents() {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
    asm volatile("griddepcontrol.launch_dependents;\n" ::: "memory");
#endif
}

// Where this grid was launched as a programmatic dependent: waits until the grid ahead of it is done and its
// writes are visible. Work that does not read them (weights, say) may come before.
__device__ inline void waitForPrimary() {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
    asm volatile("griddepcontrol.wait;\n" ::: "memory");
#endif
}

// Marks `config` as the programmatic dependent of the kernel ahead of it where dependentLaunch(); `attribute`
// is the storage config then points to (it must live until the launch call).
inline void asDependent(cudaLaunchConfig_t& config, cudaLaunchAttribute& attribute) {
    if (!dependentLaunch()) return;
    attribute.id = cudaLaunchAttributeProgrammaticStreamSerialization;
    attribute.val.programmaticStreamSerializationAllowed = 1;
    config.attrs = &attribute;
    config.numAttrs = 1;
}

} // namespace transmla::kernels
