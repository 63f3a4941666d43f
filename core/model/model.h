// A loaded model: its config and its weights on one device in one compute dtype.
// Weights are read from the memory-mapped checkpoint tensor by tensor and moved straight to the
// target device/dtype, so the checkpoint is never held in host RAM twice.
#pragma once
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>

#include "io/model_config.h"
#include "util/compute.h"
#include "util/progress.h"

namespace transmla::io {
class Checkpoint;
}

namespace transmla::model {

struct Linear {
    at::Tensor weight; // [out, in]
    at::Tensor bias;   // [out] or undefined
    bool defined() const { return weight.defined(); }
};

struct GqaAttention {
    Linear q, k, v, o;       // q [H*d, D], k/v [g*d, D], o [D, H*d]
    at::Tensor qNorm, kNorm; // [d] per-head RMSNorm weights before RoPE (Qwen3, Gemma-3); else undefined
};

// DeepSeek-V2/V3 attention (TransMLA's output). Shapes with r = kv_lora_rank, r_R = qk_rope_head_dim,
// d_n = qk_nope_head_dim, d_v = v_head_dim:
//   q (or q_a -> q_a_norm -> q_b): [H*(d_n + r_R), D]
//   kvA: [r + r_R, D]   latent c_kv = kvA(x)[:r] (normed), shared rope key k_R = kvA(x)[r:]
//   kvB: [H*(d_n + d_v), r]   per head: k_nope rows then v rows; or [(H/rep)*(d_n + d_v), r] where each group
//        of rep consecutive heads shares its rows (a conversion's kv groups: packProjections keeps one copy
//        of equal heads in bf16 models; its row count tells, mlaKvBRows gives the per-head rows)
struct MlaAttention {
    int64_t ropeDim = 0, nopeDim = 0, vDim = 0, rank = 0; // r_R, d_n, d_v, r of this layer
    at::Tensor ropeInvFreq; // [r_R/2] fp32 frequencies of the rope planes; undefined: standard r_R-dim RoPE
    Linear q, qA, qB;
    // q's rows split (packProjections, bf16 CUDA models whose query is a TransMLA conversion's): q then holds
    // each head's d_n nope rows and qRope its r_R rope rows, both row blocks of one tensor with kvA between
    // them ([q_nope | kv_a | q_rope]), and qRopeMap [H, d_n, r_R] (bf16) maps a head's q_nope to its q_rope:
    // the conversion built each head's rope rows as a fixed map of its nope rows (RoRoPE's rotation), and the
    // map is fitted to the checkpoint's rows (least squares, accepted within two bf16 epsilons). The decoding
    // step reads the q_nope | kv_a rows and maps (decode_step.h: ropeMap); prompts read all three blocks.
    // Undefined otherwise; mlaQueryRows gives q's [H * (d_n + r_R)] rows either way.
    Linear qRope;
    at::Tensor qRopeMap;
    // Rows of the packed tensor the fast step's product reads where the absorbed query maps q_rope: the
    // q_nope | kv_a rows, or a few rope rows more where cuBLAS runs that width faster (measured on load,
    // kernels::fastestProductRows).
    int64_t qStepRows = 0;
    at::Tensor qANorm;
    Linear kvA;
    at::Tensor kvANorm; // undefined: no latent norm (exact TransMLA form)
    Linear kvB;
    Linear o;
    // Converted q/k-norm layers (convert/qk_norm.h): the norms are nonlinear per head and token, so the
    // latent is a linear map of the normalised keys, not of x. Then q = qUp_h . qnorm(qPre x)_h per head
    // (qUp [H, d_n + r_R, d]) and kvA reads u = [knorm(kPre x) ; vPre x] [2*g*d] instead of x.
    Linear qPre, kPre, vPre;
    at::Tensor qNorm, kNorm; // [d]
    at::Tensor qUp;          // [H, d_n + r_R, d]
    bool normedInput() const { return kPre.defined(); }
};

struct Mlp {
    Linear gate, up, down;
};

struct Layer {
    at::Tensor inputNorm, postAttnNorm, preFfnNorm, postFfnNorm;
    GqaAttention gqa;
    std::optional<MlaAttention> mla; // set when the layer is (converted to) MLA
    Mlp mlp;
    Linear router;            // MoE
    std::vector<Mlp> experts; // MoE
};

struct LoadOptions {
    LoadOptions() = default;
    LoadOptions(Device d, ComputeDtype t) : device(d), dtype(t) {}
    // In the CLI's / sessions' spellings (parseDevice, parseComputeDtype: SettingError otherwise).
    LoadOptions(const std::string& d, const std::string& t)
        : device(parseDevice(d)), dtype(parseComputeDtype(t)) {}

    Device device;                          // cpu | cuda | cuda:N
    ComputeDtype dtype = ComputeDtype::F32; // the compute dtype
    // Streamed: only the config and the checkpoint's mapping are opened; embeddings, final norm and
    // LM head stay memory-mapped on the host (source dtype), and each layer is uploaded on demand
    // (materializeLayer) and dropped after use (releaseLayer). Device memory then holds one layer.
    bool streamLayers = false;
};

class Model {
public:
    static Model load(const std::filesystem::path& dir, const LoadOptions& options = {},
                      const Progress& progress = {});

    io::ModelConfig config;
    std::filesystem::path dir;
    at::Tensor embed, finalNorm, lmHead; // lmHead aliases embed when tied
    std::vector<Layer> layers;
    LoadOptions options;
    // Checkpoint tensors the family table did not name, so the load left them alone (old checkpoints'
    // rotary_emb.inv_freq buffers, or weights of a block this family does not have). Whole loads only.
    std::vector<std::string> unreadTensors;

    at::ScalarType computeDtype() const;
    at::Device device() const;
    int64_t parameterCount() const; // of the tensors held (kv_b per head where groups share it)

    // Streamed models (LoadOptions::streamLayers): upload layer i from the checkpoint to the device
    // (no-op when resident or not streamed), and drop it again (its device memory is reused).
    bool streamed() const { return source_ != nullptr; }
    void materializeLayer(int64_t i);
    void releaseLayer(int64_t i);
    // Streamed models: drop the mapped pages of the host-side embedding / LM head from the resident
    // set once they have been read (e.g. written out); they are re-read from the file if needed.
    void releaseHostPages() const;

private:
    std::shared_ptr<const io::Checkpoint> source_; // streamed models only
    std::vector<bool> resident_;
};

// Moves the projections that read the same input (GQA's q, k, v; MLA's q and kv_a; the MLP's gate and up)
// into one tensor per set: their weights (and biases) become consecutive row blocks of it, with the same
// values, and the forward runs each set as one product (linearPacked, modules.h): at batch 1 a decoding step
// is bound by its ~200 products' launches and tails. Applied to CUDA models on load, conversion and healing;
// a set whose shapes or dtypes differ is left as it is. CPU weights only with onCpuToo (tests): loaded ones
// may be mappings of the checkpoint, which a copy would double in memory.
// MLA: q's rows are split where its rope rows are a map of its nope rows (MlaAttention::qRope); a split
// layer packed again is first joined back (its q refitted). bf16 MLA: kv_b's rows once per group of heads
// whose rows are equal bit for bit (MlaAttention::kvB).
void packProjections(Layer& layer, bool onCpuToo = false);
// An MLA layer's query rows per head [H * (d_n + r_R), D] (and bias), joined where they are split.
Linear mlaQueryRows(const MlaAttention& a);
// An MLA layer's kv_b rows per head [heads * (d_n + d_v), r], repeated where groups of heads share them.
at::Tensor mlaKvBRows(const MlaAttention& a, int64_t heads);
// Heads of kv_b's rows as held (heads, or heads / rep where groups share them).
int64_t mlaKvBHeads(const MlaAttention& a);

at::ScalarType toTorch(ComputeDtype t);
at::Device toTorch(const Device& d); // throws SettingError(device) when there is no CUDA

} // namespace transmla::model
