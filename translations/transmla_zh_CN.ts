<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
    <context>
        <name>DeviceChoice</name>
        <message>
            <location filename="../views/devicechoice.cpp" line="11" />
            <source>CPU</source>
            <translation>CPU</translation>
        </message>
        <message>
            <location filename="../views/devicechoice.cpp" line="15" />
            <source>CUDA %1 (f32)</source>
            <translation>CUDA %1（f32）</translation>
        </message>
        <message>
            <location filename="../views/devicechoice.cpp" line="16" />
            <source>CUDA %1 (bf16: half the memory, faster)</source>
            <translation>CUDA %1（bf16：内存减半，更快）</translation>
        </message>
        <message>
            <location filename="../views/devicechoice.cpp" line="18" />
            <source>CUDA: no device found</source>
            <translation>CUDA：未找到设备</translation>
        </message>
        <message>
            <location filename="../views/devicechoice.cpp" line="18" />
            <source>CUDA: not in this build</source>
            <translation>CUDA：此构建不包含</translation>
        </message>
        <message>
            <location filename="../views/devicechoice.cpp" line="24" />
            <source>This build has CUDA, but no CUDA device was found (no GPU, or its driver is not loaded).</source>
            <translation>此构建支持 CUDA，但未找到 CUDA 设备（没有 GPU，或其驱动未加载）。</translation>
        </message>
        <message>
            <location filename="../views/devicechoice.cpp" line="26" />
            <source>This build uses a LibTorch without CUDA. Build against a CUDA LibTorch: see README, "Building with CUDA".</source>
            <translation>此构建使用不含 CUDA 的 LibTorch。请基于 CUDA 版 LibTorch 构建：见 README 的“Building with CUDA”。</translation>
        </message>
    </context>
    <context>
        <name>ProgressText</name>
        <message>
            <location filename="../views/progresstext.cpp" line="10" />
            <source>reading the model</source>
            <translation>正在读取模型</translation>
        </message>
        <message>
            <location filename="../views/progresstext.cpp" line="11" />
            <source>loading weights</source>
            <translation>正在加载权重</translation>
        </message>
        <message>
            <location filename="../views/progresstext.cpp" line="12" />
            <source>GSM8K loss before</source>
            <translation>转换前 GSM8K 损失</translation>
        </message>
        <message>
            <location filename="../views/progresstext.cpp" line="13" />
            <source>GSM8K loss after</source>
            <translation>转换后 GSM8K 损失</translation>
        </message>
        <message>
            <location filename="../views/progresstext.cpp" line="14" />
            <source>GSM8K loss of the full-rank model</source>
            <translation>满秩模型的 GSM8K 损失</translation>
        </message>
        <message>
            <location filename="../views/progresstext.cpp" line="15" />
            <source>WikiText-2 perplexity before</source>
            <translation>之前的 WikiText-2 困惑度</translation>
        </message>
        <message>
            <location filename="../views/progresstext.cpp" line="16" />
            <source>WikiText-2 perplexity after</source>
            <translation>之后的 WikiText-2 困惑度</translation>
        </message>
        <message>
            <location filename="../views/progresstext.cpp" line="17" />
            <source>healing (per layer)</source>
            <translation>修复（逐层）</translation>
        </message>
        <message>
            <location filename="../views/progresstext.cpp" line="18" />
            <source>healing (end to end)</source>
            <translation>修复（端到端）</translation>
        </message>
        <message>
            <location filename="../views/progresstext.cpp" line="19" />
            <source>evaluating</source>
            <translation>正在评估</translation>
        </message>
        <message>
            <location filename="../views/progresstext.cpp" line="20" />
            <source>activation spectra</source>
            <translation>激活谱</translation>
        </message>
        <message>
            <location filename="../views/progresstext.cpp" line="21" />
            <source>weight spectra</source>
            <translation>权重谱</translation>
        </message>
        <message>
            <location filename="../views/progresstext.cpp" line="22" />
            <source>calibrating layers</source>
            <translation>正在校准各层</translation>
        </message>
        <message>
            <location filename="../views/progresstext.cpp" line="23" />
            <source>converting layers</source>
            <translation>正在转换各层</translation>
        </message>
        <message>
            <location filename="../views/progresstext.cpp" line="24" />
            <source>attention maps</source>
            <translation>注意力图</translation>
        </message>
        <message>
            <location filename="../views/progresstext.cpp" line="25" />
            <source>rank sweep</source>
            <translation>秩扫描</translation>
        </message>
        <message>
            <location filename="../views/progresstext.cpp" line="26" />
            <source>re-truncating layers</source>
            <translation>正在重新截断各层</translation>
        </message>
        <message>
            <location filename="../views/progresstext.cpp" line="27" />
            <source>held-out search: candidates</source>
            <translation>留出文本搜索：候选</translation>
        </message>
        <message>
            <location filename="../views/progresstext.cpp" line="28" />
            <source>exporting</source>
            <translation>正在导出</translation>
        </message>
        <message>
            <location filename="../views/progresstext.cpp" line="29" />
            <source>GQA cache: prefilling the context</source>
            <translation>GQA 缓存：正在预填充上下文</translation>
        </message>
        <message>
            <location filename="../views/progresstext.cpp" line="30" />
            <source>GQA cache: decoding</source>
            <translation>GQA 缓存：正在解码</translation>
        </message>
        <message>
            <location filename="../views/progresstext.cpp" line="31" />
            <source>MLA latent cache: prefilling the context</source>
            <translation>MLA 潜在缓存：正在预填充上下文</translation>
        </message>
        <message>
            <location filename="../views/progresstext.cpp" line="32" />
            <source>MLA latent cache: decoding</source>
            <translation>MLA 潜在缓存：正在解码</translation>
        </message>
        <message>
            <location filename="../views/progresstext.cpp" line="40" />
            <source>about %1 s left</source>
            <translation>约剩 %1 秒</translation>
        </message>
        <message>
            <location filename="../views/progresstext.cpp" line="41" />
            <source>about %1 min left</source>
            <translation>约剩 %1 分钟</translation>
        </message>
    </context>
    <context>
        <name>ReportWriter</name>
        <message>
            <location filename="../views/reportwriter.cpp" line="24" />
            <source>%1 exists and is not a folder: nothing written.</source>
            <translation>%1 已存在且不是文件夹：未写入任何内容。</translation>
        </message>
        <message>
            <location filename="../views/reportwriter.cpp" line="27" />
            <source>%1 is a folder that holds other files, not a report: nothing written. Choose a new or empty folder.</source>
            <translation>%1 是包含其他文件的文件夹，不是报告：未写入任何内容。请选择新的或空的文件夹。</translation>
        </message>
        <message>
            <location filename="../views/reportwriter.cpp" line="33" />
            <source>Cannot create %1: nothing written.</source>
            <translation>无法创建 %1：未写入任何内容。</translation>
        </message>
        <message>
            <location filename="../views/reportwriter.cpp" line="44" />
            <source>Cannot write the plot "%1" into %2: nothing written.</source>
            <translation>无法将图表 "%1" 写入 %2：未写入任何内容。</translation>
        </message>
        <message>
            <location filename="../views/reportwriter.cpp" line="51" />
            <location filename="../views/reportwriter.cpp" line="58" />
            <source>Cannot write %1: nothing written.</source>
            <translation>无法写入 %1：未写入任何内容。</translation>
        </message>
        <message>
            <location filename="../views/reportwriter.cpp" line="55" />
            <source>Cannot replace %1: nothing written.</source>
            <translation>无法替换 %1：未写入任何内容。</translation>
        </message>
    </context>
    <context>
        <name>UnsavedGuard</name>
        <message>
            <location filename="../views/unsavedguard.cpp" line="10" />
            <source>Unsaved results</source>
            <translation>未保存的结果</translation>
        </message>
        <message>
            <location filename="../views/unsavedguard.cpp" line="11" />
            <source>The results of this session have not been saved. %1 discards them.</source>
            <translation>本次会话的结果尚未保存。%1将丢弃这些结果。</translation>
        </message>
        <message>
            <location filename="../views/unsavedguard.cpp" line="14" />
            <source>Save them as a session first?</source>
            <translation>先将其保存为会话吗？</translation>
        </message>
    </context>
    <context>
        <name>transmla::views::AttentionView</name>
        <message>
            <location filename="../views/attentionview.cpp" line="43" />
            <source>Compute</source>
            <translation>计算</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="44" />
            <source>Attention map</source>
            <translation>注意力图</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="46" />
            <source>Prompt (default: the first GSM8K test problem)</source>
            <translation>提示词（默认：第一道 GSM8K 测试题）</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="51" />
            <source>One head</source>
            <translation>单个头</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="51" />
            <source>All heads</source>
            <translation>所有头</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="52" />
            <source>One head: before, after and difference. All heads: every query head of the layer</source>
            <translation>单个头：之前、之后及差异。所有头：该层的每个查询头</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="53" />
            <source>Prompt:</source>
            <translation>提示词：</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="55" />
            <source>Layer:</source>
            <translation>层：</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="309" />
            <source>difference (float rounding)</source>
            <translation>差异（浮点舍入）</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="324" />
            <source>Layer %1, head %2, %3 tokens</source>
            <translation>第 %1 层，头 %2，%3 个词元</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="325" />
            <source> (the first %1 of the prompt's %2 tokens)</source>
            <translation>（提示的 %2 个词元中的前 %1 个）</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="328" />
            <source>: max |difference| %1, float rounding (the maps agree); mean KL %2</source>
            <translation>：最大 |差异| %1，为浮点舍入（两图一致）；平均 KL %2</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="330" />
            <source>0 (rounding)</source>
            <translation>0（舍入）</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="332" />
            <source>: max |difference| %1, mean KL %2 nats</source>
            <translation>：最大 |差异| %1，平均 KL %2 奈特</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="348" />
            <source>head %1, query %2 '%3', key %4 '%5': before %6</source>
            <translation>头 %1，查询 %2 '%3'，键 %4 '%5'：之前 %6</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="354" />
            <source>, after %1, difference %2</source>
            <translation>，之后 %1，差异 %2</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="251" />
            <source>GQA (before)</source>
            <translation>GQA（转换前）</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="251" />
            <source>MLA (after)</source>
            <translation>MLA（转换后）</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="251" />
            <source>after - before</source>
            <translation>转换后 - 转换前</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="260" />
            <source>head %1</source>
            <translation>头 %1</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="273" />
            <source>key</source>
            <translation>键</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="274" />
            <source>query</source>
            <translation>查询</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="250" />
            <source>probability</source>
            <translation>概率</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="57" />
            <source>Head:</source>
            <translation>头：</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="58" />
            <source>Query head</source>
            <translation>查询头</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="310" />
            <source>difference</source>
            <translation>差异</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="321" />
            <source>Run a conversion, then choose a layer and head and press Compute</source>
            <translation>先运行转换，然后选择层和头并点击“计算”</translation>
        </message>
    </context>
    <context>
        <name>transmla::views::BudgetView</name>
        <message>
            <location filename="../views/budgetview.cpp" line="28" />
            <source>KV cache budget</source>
            <translation>KV 缓存预算</translation>
        </message>
        <message>
            <location filename="../views/budgetview.cpp" line="33" />
            <source>GPU:</source>
            <translation>GPU：</translation>
        </message>
        <message>
            <location filename="../views/budgetview.cpp" line="38" />
            <source>Batch:</source>
            <translation>批大小：</translation>
        </message>
        <message>
            <location filename="../views/budgetview.cpp" line="44" />
            <source>Cache:</source>
            <translation>缓存：</translation>
        </message>
        <message>
            <location filename="../views/budgetview.cpp" line="56" />
            <source>cache form</source>
            <translation>缓存形式</translation>
        </message>
        <message>
            <location filename="../views/budgetview.cpp" line="57" />
            <source>context length (tokens, log)</source>
            <translation>上下文长度（token，对数）</translation>
        </message>
        <message>
            <location filename="../views/budgetview.cpp" line="58" />
            <source>weights + KV cache (GiB, log)</source>
            <translation>权重 + KV 缓存（GiB，对数）</translation>
        </message>
        <message>
            <location filename="../views/budgetview.cpp" line="117" />
            <source>KV cache per token (KiB, %1)</source>
            <translation>每个词元的 KV 缓存（KiB，%1）</translation>
        </message>
        <message>
            <location filename="../views/budgetview.cpp" line="194" />
            <source>%1: %2 tokens</source>
            <translation>%1：%2 个 token</translation>
        </message>
        <message>
            <location filename="../views/budgetview.cpp" line="198" />
            <source>Max context on this GPU (batch %1, %2 cache): %3</source>
            <translation>此 GPU 上的最大上下文（批大小 %1，%2 缓存）：%3</translation>
        </message>
        <message>
            <location filename="../views/budgetview.cpp" line="203" />
            <source>(at most max_position_embeddings = %1)</source>
            <translation>（最多 max_position_embeddings = %1）</translation>
        </message>
        <message>
            <location filename="../views/budgetview.cpp" line="204" />
            <source>Open a model to see its KV cache budget</source>
            <translation>打开模型以查看其 KV 缓存预算</translation>
        </message>
    </context>
    <context>
        <name>transmla::views::ClassroomGuide</name>
        <message>
            <location filename="../views/classroomguide.cpp" line="57" />
            <source>on</source>
            <translation>开</translation>
        </message>
        <message>
            <location filename="../views/classroomguide.cpp" line="57" />
            <source>off</source>
            <translation>关</translation>
        </message>
        <message>
            <location filename="../views/classroomguide.cpp" line="59" />
            <source>%1: %2 -&gt; %3</source>
            <translation>%1：%2 -&gt; %3</translation>
        </message>
        <message>
            <location filename="../views/classroomguide.cpp" line="62" />
            <source>exact merge</source>
            <translation>精确合并</translation>
        </message>
        <message>
            <location filename="../views/classroomguide.cpp" line="64" />
            <source>kv_lora_rank</source>
            <translation>kv_lora_rank</translation>
        </message>
        <message>
            <location filename="../views/classroomguide.cpp" line="65" />
            <source>calibration samples</source>
            <translation>校准样本数</translation>
        </message>
        <message>
            <location filename="../views/classroomguide.cpp" line="67" />
            <source>calibration length (tokens)</source>
            <translation>校准长度（词元）</translation>
        </message>
        <message>
            <location filename="../views/classroomguide.cpp" line="69" />
            <source>GSM8K problems</source>
            <translation>GSM8K 题目数</translation>
        </message>
        <message>
            <location filename="../views/classroomguide.cpp" line="77" />
            <source>From GQA to MLA in three steps</source>
            <translation>三步从 GQA 到 MLA</translation>
        </message>
        <message>
            <location filename="../views/classroomguide.cpp" line="78" />
            <source>The bundled demo model has 8 query heads sharing 2 key/value heads (GQA). We will turn its attention into Multi-head Latent Attention, first exactly, then compressed, and watch the KV cache and the loss. Everything runs on the CPU.</source>
            <translation>内置演示模型有 8 个查询头，共享 2 个键/值头（GQA）。我们将把它的注意力转换为多头潜在注意力，先精确转换，再压缩，并观察 KV 缓存和损失。全部在 CPU 上运行。</translation>
        </message>
        <message>
            <location filename="../views/classroomguide.cpp" line="81" />
            <source>Next opens the demo model; it changes no setting.</source>
            <translation>下一步打开演示模型；不更改任何设置。</translation>
        </message>
        <message>
            <location filename="../views/classroomguide.cpp" line="82" />
            <source>Start: open the demo model</source>
            <translation>开始：打开演示模型</translation>
        </message>
        <message>
            <location filename="../views/classroomguide.cpp" line="85" />
            <source>1. The GQA model</source>
            <translation>1. GQA 模型</translation>
        </message>
        <message>
            <location filename="../views/classroomguide.cpp" line="93" />
            <source>2. Exact MLA</source>
            <translation>2. 精确 MLA</translation>
        </message>
        <message>
            <location filename="../views/classroomguide.cpp" line="94" />
            <source>All KV heads are merged into one latent with RoPE kept on every key dimension: the same cache and the same logits. The &lt;b&gt;Attention&lt;/b&gt; tab shows before, after and their difference: its largest value (in the line above the maps) is float rounding, around 10&lt;sup&gt;-7&lt;/sup&gt;, not a change of the model; the colours of the difference map only show that noise, on its own tiny scale.</source>
            <translation>所有 KV 头合并为一个潜在向量，每个键维度都保留 RoPE：缓存和 logits 都相同。&lt;b&gt;注意力&lt;/b&gt;页显示之前、之后及其差异：差异的最大值（见图上方一行）是浮点舍入，约 10&lt;sup&gt;-7&lt;/sup&gt;，并非模型改变；差异图的颜色只显示这种噪声，使用其自身极小的刻度。</translation>
        </message>
        <message>
            <location filename="../views/classroomguide.cpp" line="99" />
            <source>Next sets &lt;b&gt;Exact merge&lt;/b&gt; off, &lt;b&gt;kv_lora_rank&lt;/b&gt; to a quarter of the maximum and the calibration to 32 samples of 128 tokens, then runs the conversion.</source>
            <translation>下一步将关闭&lt;b&gt;精确合并&lt;/b&gt;，把 &lt;b&gt;kv_lora_rank&lt;/b&gt; 设为最大值的四分之一，校准设为 32 个 128 词元的样本，然后运行转换。</translation>
        </message>
        <message>
            <location filename="../views/classroomguide.cpp" line="104" />
            <source>3. Compressed MLA</source>
            <translation>3. 压缩 MLA</translation>
        </message>
        <message>
            <location filename="../views/classroomguide.cpp" line="115" />
            <source>This step changed:</source>
            <translation>此步骤更改了：</translation>
        </message>
        <message>
            <location filename="../views/classroomguide.cpp" line="86" />
            <source>The &lt;b&gt;KV budget&lt;/b&gt; tab shows what every token costs in the cache: K and V for each KV head in every layer. The &lt;b&gt;Model&lt;/b&gt; tab lists the tensors.</source>
            <translation>&lt;b&gt;KV 预算&lt;/b&gt;标签页显示每个 token 在缓存中的开销：每层每个 KV 头的 K 和 V。&lt;b&gt;模型&lt;/b&gt;标签页列出所有张量。</translation>
        </message>
        <message>
            <location filename="../views/classroomguide.cpp" line="89" />
            <source>Next sets &lt;b&gt;Exact merge&lt;/b&gt; on and &lt;b&gt;GSM8K problems&lt;/b&gt; to 20, then runs the conversion.</source>
            <translation>下一步将开启&lt;b&gt;精确合并&lt;/b&gt;，把 &lt;b&gt;GSM8K 题目数&lt;/b&gt;设为 20，然后运行转换。</translation>
        </message>
        <message>
            <location filename="../views/classroomguide.cpp" line="90" />
            <source>Next: exact MLA</source>
            <translation>下一步：精确 MLA</translation>
        </message>
        <message>
            <location filename="../views/classroomguide.cpp" line="101" />
            <source>Next: compress</source>
            <translation>下一步：压缩</translation>
        </message>
        <message>
            <location filename="../views/classroomguide.cpp" line="105" />
            <source>RoRoPE concentrates the position information in a few dimensions, PCA keeps the strongest latent directions. The &lt;b&gt;Spectrum&lt;/b&gt; tab shows what the rank keeps, &lt;b&gt;Loss&lt;/b&gt; what it costs. Move the kv_lora_rank slider and run again.</source>
            <translation>RoRoPE 将位置信息集中到少数维度，PCA 保留最强的潜在方向。&lt;b&gt;频谱&lt;/b&gt;标签页显示该秩保留了什么，&lt;b&gt;损失&lt;/b&gt;显示其代价。移动 kv_lora_rank 滑块并再次运行。</translation>
        </message>
        <message>
            <location filename="../views/classroomguide.cpp" line="108" />
            <source>Start over changes no setting.</source>
            <translation>重新开始不更改任何设置。</translation>
        </message>
        <message>
            <location filename="../views/classroomguide.cpp" line="109" />
            <source>Start over</source>
            <translation>重新开始</translation>
        </message>
    </context>
    <context>
        <name>transmla::views::ConversionPanel</name>
        <message>
            <location filename="../views/conversionpanel.cpp" line="51" />
            <source>&amp;Run</source>
            <translation>运行(&amp;R)</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="51" />
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="52" />
            <source>E&amp;xport...</source>
            <translation>导出(&amp;X)...</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="75" />
            <source>Compressed MLA (RoRoPE + FreqFold + PCA)</source>
            <translation>压缩 MLA（RoRoPE + FreqFold + PCA）</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="76" />
            <source>Exact MLA (same cache, same logits)</source>
            <translation>精确 MLA（缓存相同，logits 相同）</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="83" />
            <source>auto</source>
            <translation>自动</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="84" />
            <source>GSM8K (train)</source>
            <translation>GSM8K（训练集）</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="77" />
            <source>qk_rope_head_dim: key dimensions that keep RoPE (even, at most head_dim)</source>
            <translation>qk_rope_head_dim：保留 RoPE 的键维度（偶数，不超过 head_dim）</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="85" />
            <source>WikiText-2 (validation)</source>
            <translation>WikiText-2（验证集）</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="86" />
            <source>Text file...</source>
            <translation>文本文件...</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="89" />
            <source>a .txt (paragraphs) or .jsonl file</source>
            <translation>一个 .txt（段落）或 .jsonl 文件</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="91" />
            <source>Browse...</source>
            <translation>浏览...</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="97" />
            <source>none (exact algebra)</source>
            <translation>无（精确代数）</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="98" />
            <source>calibrated (DeepSeek kv_a_layernorm, needed for export)</source>
            <translation>校准（DeepSeek kv_a_layernorm，导出时必需）</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="106" />
            <source>Q/K norm:</source>
            <translation>Q/K 归一化：</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="107" />
            <source>Fold (approximation, exportable)</source>
            <translation>折叠（近似，可导出）</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="109" />
            <source>Qwen3 and Gemma-3 normalise every query and key head per token, which DeepSeek-V3 cannot express. Ticked: each head's norm is folded into the projections as a constant fitted on the calibration text, so the model can be exported, at the loss shown after the run. Unticked: the exact form, evaluated here only.</source>
            <translation>Qwen3 和 Gemma-3 对每个查询头和键头按词元做归一化，DeepSeek-V3 无法表达这一点。勾选：每个头的归一化作为在校准文本上拟合的常数折叠进投影，模型因此可以导出，代价是运行后显示的损失。不勾选：精确形式，仅在此处评估。</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="113" />
            <source>Evaluate GSM8K loss before and after</source>
            <translation>评估转换前后的 GSM8K 损失</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="117" />
            <source> problems</source>
            <translation> 道题</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="119" />
            <source>Settings changed since the run: the results shown are stale. Run again to update them.</source>
            <translation>运行后设置已更改：显示的结果已过时。请重新运行以更新。</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="141" />
            <source>Mode:</source>
            <translation>模式：</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="142" />
            <source>kv_lora_rank:</source>
            <translation>kv_lora_rank：</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="143" />
            <source>qk_rope_head_dim:</source>
            <translation>qk_rope_head_dim：</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="144" />
            <source>FreqFold:</source>
            <translation>FreqFold：</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="145" />
            <source>Calibration (samples × tokens):</source>
            <translation>校准（样本 × token）：</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="147" />
            <source>Device:</source>
            <translation>设备：</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="148" />
            <source>Latent norm:</source>
            <translation>潜在归一化：</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="154" />
            <source>KV cache:</source>
            <translation>KV 缓存：</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="175" />
            <source>&lt;b&gt;Per layer&lt;/b&gt;</source>
            <translation>&lt;b&gt;逐层&lt;/b&gt;</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="236" />
            <source>Calibration text</source>
            <translation>校准文本</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="237" />
            <source>Text (*.txt *.jsonl);;All files (*)</source>
            <translation>文本 (*.txt *.jsonl);;所有文件 (*)</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="251" />
            <source>Choose a calibration text file (Calibration: Text file...).</source>
            <translation>请选择校准文本文件（校准：文本文件...）。</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="257" />
            <source>The calibration text %1 does not exist.</source>
            <translation>校准文本 %1 不存在。</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="258" />
            <source>The calibration text %1 is not a file.</source>
            <translation>校准文本 %1 不是文件。</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="259" />
            <source>The calibration text %1 cannot be read.</source>
            <translation>无法读取校准文本 %1。</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="260" />
            <source>The calibration text %1 is empty.</source>
            <translation>校准文本 %1 为空。</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="268" />
            <source>This model family has no DeepSeek-V3 equivalent (Gemma-2 sandwich norms and soft-capping, Mixtral experts): the converted model can be evaluated here but not exported.</source>
            <translation>该模型系列没有 DeepSeek-V3 对应结构（Gemma-2 的夹层归一化与软截断、Mixtral 的专家）：转换后的模型可以在此评估，但不能导出。</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="271" />
            <source>The model's query projection has a bias, which DeepSeek-V3 cannot hold: the converted model can be evaluated here but not exported.</source>
            <translation>模型的查询投影带有偏置，DeepSeek-V3 无法容纳：转换后的模型可以在此评估，但不能导出。</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="275" />
            <source>Not exportable: the exact form keeps the per-head query/key norms, which DeepSeek-V3 cannot express. Tick "Fold" (Q/K norm) to convert and export the approximation.</source>
            <translation>不可导出：精确形式保留了每个头的查询/键归一化，DeepSeek-V3 无法表达。勾选 "折叠"（Q/K 归一化）以转换并导出近似模型。</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="278" />
            <source>Not exportable: DeepSeek-V3 always normalises the latent (kv_a_layernorm). With "none" the losses shown are those of a model that exists only in this workbench; choose "calibrated" to evaluate what gets exported.</source>
            <translation>不可导出：DeepSeek-V3 总是对潜变量做归一化（kv_a_layernorm）。选择 "none" 时显示的损失属于只存在于本工作台中的模型；请选择 "calibrated" 以评估将被导出的模型。</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="293" />
            <source>Exportable as DeepSeek-V3, as an approximation (q/k norms folded): the losses shown are those of the exported approximation.</source>
            <translation>可作为 DeepSeek-V3 导出（近似：已折叠 q/k 归一化）：显示的损失即导出的近似模型的损失。</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="297" />
            <source>Exportable as DeepSeek-V3: the losses shown are those of the exported model.</source>
            <translation>可导出为 DeepSeek-V3：显示的损失即导出模型的损失。</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="329" />
            <source>1 .. %1 = 2*g*d - qk_rope_head_dim</source>
            <translation>1 .. %1 = 2*g*d - qk_rope_head_dim</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="346" />
            <location filename="../views/conversionpanel.cpp" line="392" />
            <source>Open a model first</source>
            <translation>请先打开一个模型</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="356" />
            <source>%1 -&gt; %2 per token (%3% of GQA, bf16)</source>
            <translation>每个 token %1 -&gt; %2（GQA 的 %3%，bf16）</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="382" />
            <source>FreqFold</source>
            <translation>FreqFold</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="383" />
            <source>Latent norm</source>
            <translation>潜变量归一化</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="384" />
            <source>Q/K norm fold</source>
            <translation>Q/K 归一化折叠</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="385" />
            <source>Calibration samples</source>
            <translation>校准样本数</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="386" />
            <source>Calibration tokens per sample</source>
            <translation>每个样本的校准词元数</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="387" />
            <source>Model</source>
            <translation>模型</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="397" />
            <source>%1: %2</source>
            <translation>%1：%2</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="494" />
            <source>starting...</source>
            <translation>正在启动...</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="501" />
            <location filename="../views/conversionpanel.cpp" line="502" />
            <source>Cancelling...</source>
            <translation>正在取消...</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="509" />
            <source>%1: %2 of %3</source>
            <translation>%1：%2 / %3</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="518" />
            <source>Finished</source>
            <translation>已完成</translation>
        </message>
    </context>
    <context>
        <name>transmla::views::HealView</name>
        <message>
            <location filename="../views/healview.cpp" line="21" />
            <source>Heal</source>
            <translation>修复</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="21" />
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="22" />
            <source>Healing</source>
            <translation>修复</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="24" />
            <source>local (per layer)</source>
            <translation>局部（逐层）</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="25" />
            <source>end-to-end (KL)</source>
            <translation>端到端（KL）</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="26" />
            <source>both</source>
            <translation>两者</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="29" />
            <location filename="../views/healview.cpp" line="35" />
            <source>default</source>
            <translation>默认</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="30" />
            <source>Adam steps per layer (local) or in all (end-to-end)</source>
            <translation>每层的 Adam 步数（局部）或总步数（端到端）</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="37" />
            <source>GSM8K train</source>
            <translation>GSM8K 训练集</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="38" />
            <source>WikiText-2</source>
            <translation>WikiText-2</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="39" />
            <source>File</source>
            <translation>文件</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="41" />
            <source>training text (.txt or .jsonl)</source>
            <translation>训练文本（.txt 或 .jsonl）</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="46" />
            <source>Training sequences of 128 tokens (1/8 held out for the figures)</source>
            <translation>每条 128 个词元的训练序列（1/8 留出用于统计）</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="51" />
            <source>Mode:</source>
            <translation>模式：</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="53" />
            <source>Steps:</source>
            <translation>步数：</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="55" />
            <source>LR:</source>
            <translation>学习率：</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="65" />
            <source>Text:</source>
            <translation>文本：</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="57" />
            <source>Sequences:</source>
            <translation>序列数：</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="76" />
            <source>training step</source>
            <translation>训练步</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="77" />
            <source>local: relative attention-output error</source>
            <translation>局部：注意力输出相对误差</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="78" />
            <source>end-to-end: KL per token</source>
            <translation>端到端：每词元 KL</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="114" />
            <source>Ready: Heal trains the converted model's new attention weights towards the original (choose the mode and steps, then press Heal).</source>
            <translation>就绪：修复会将转换后模型的新注意力权重朝原始模型训练（选择模式和步数，然后按“修复”）。</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="118" />
            <source>Convert a model first; healing then trains its new attention weights towards the original.</source>
            <translation>请先转换模型；修复会将其新的注意力权重向原模型训练。</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="133" />
            <source>Healing (%1): step %2 of %3, loss %4</source>
            <translation>修复（%1）：第 %2 步，共 %3 步，损失 %4</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="148" />
            <source>Cancelling... the unhealed conversion stays as it was</source>
            <translation>正在取消……未修复的转换结果保持不变</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="153" />
            <source>Healing stopped: %1 (the unhealed conversion is kept)</source>
            <translation>修复已停止：%1（保留未修复的转换结果）</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="159" />
            <source>%1: %2 steps, held-out %3 -&gt; %4 (%5 s)</source>
            <translation>%1：%2 步，留出集 %3 -&gt; %4（%5 秒）</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="166" />
            <source>GSM8K loss: converted %1 -&gt; healed %2</source>
            <translation>GSM8K 损失：转换后 %1 -&gt; 修复后 %2</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="169" />
            <source>The loss view, the attention maps and the export now use the healed model.</source>
            <translation>损失视图、注意力图和导出现在使用修复后的模型。</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="200" />
            <source>local</source>
            <translation>局部</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="201" />
            <source>end-to-end</source>
            <translation>端到端</translation>
        </message>
    </context>
    <context>
        <name>transmla::views::JobRunner</name>
        <message>
            <location filename="../views/jobrunner.h" line="28" />
            <source>Cancelled</source>
            <translation>已取消</translation>
        </message>
        <message>
            <location filename="../views/jobrunner.h" line="74" />
            <source>unexpected error</source>
            <translation>意外错误</translation>
        </message>
    </context>
    <context>
        <name>transmla::views::LayerReportModel</name>
        <message>
            <location filename="../views/tablemodels.cpp" line="122" />
            <source>Layer</source>
            <translation>层</translation>
        </message>
        <message>
            <location filename="../views/tablemodels.cpp" line="124" />
            <source>kv_lora_rank</source>
            <translation>kv_lora_rank</translation>
        </message>
        <message>
            <location filename="../views/tablemodels.cpp" line="126" />
            <source>Energy kept</source>
            <translation>保留能量</translation>
        </message>
        <message>
            <location filename="../views/tablemodels.cpp" line="128" />
            <source>RoPE energy</source>
            <translation>RoPE 能量</translation>
        </message>
        <message>
            <location filename="../views/tablemodels.cpp" line="130" />
            <source>alpha</source>
            <translation>alpha</translation>
        </message>
    </context>
    <context>
        <name>transmla::views::LossView</name>
        <message>
            <location filename="../views/lossview.cpp" line="22" />
            <source>Rank sweep</source>
            <translation>秩扫描</translation>
        </message>
        <message>
            <location filename="../views/lossview.cpp" line="23" />
            <source>GSM8K loss</source>
            <translation>GSM8K 损失</translation>
        </message>
        <message>
            <location filename="../views/lossview.cpp" line="25" />
            <source>Convert at several kv_lora_rank values and evaluate each (loss vs KV cache size)</source>
            <translation>在多个 kv_lora_rank 值下转换并逐一评估（损失与 KV 缓存大小）</translation>
        </message>
        <message>
            <location filename="../views/lossview.cpp" line="35" />
            <source>mean NLL per problem, GQA (nats/token)</source>
            <translation>每题平均 NLL，GQA（nats/token）</translation>
        </message>
        <message>
            <location filename="../views/lossview.cpp" line="36" />
            <source>mean NLL per problem, MLA</source>
            <translation>每题平均 NLL，MLA</translation>
        </message>
        <message>
            <location filename="../views/lossview.cpp" line="37" />
            <source>KV cache per token (bytes, bf16)</source>
            <translation>每个 token 的 KV 缓存（字节，bf16）</translation>
        </message>
        <message>
            <location filename="../views/lossview.cpp" line="38" />
            <source>GSM8K mean NLL (nats/token)</source>
            <translation>GSM8K 平均 NLL（nats/token）</translation>
        </message>
        <message>
            <location filename="../views/lossview.cpp" line="75" />
            <source>95% intervals (bootstrap over problems): GQA %1, MLA %2; MLA - GQA %3 %4 (paired)</source>
            <translation>95% 区间（按题目自助法）：GQA %1，MLA %2；MLA - GQA %3 %4（配对）</translation>
        </message>
        <message>
            <location filename="../views/lossview.cpp" line="77" />
            <source>Answer tokens only (after "Answer:"): %1 %2 -&gt; %3 %4; MLA - GQA %5 %6</source>
            <translation>仅答案词元（"Answer:" 之后）：%1 %2 -&gt; %3 %4；MLA - GQA %5 %6</translation>
        </message>
        <message>
            <location filename="../views/lossview.cpp" line="82" />
            <source>WikiText-2 test perplexity over %1 tokens: %2 -&gt; %3</source>
            <translation>WikiText-2 测试集困惑度（%1 个词元）：%2 -&gt; %3</translation>
        </message>
        <message>
            <location filename="../views/lossview.cpp" line="165" />
            <source> GQA (original)</source>
            <translation> GQA（原始）</translation>
        </message>
        <message>
            <location filename="../views/lossview.cpp" line="178" />
            <source>  this conversion</source>
            <translation>  本次转换</translation>
        </message>
        <message>
            <location filename="../views/lossview.cpp" line="186" />
            <source>GSM8K mean NLL over %1 problems: %2 (GQA) -&gt; %3 (MLA), perplexity %4 -&gt; %5</source>
            <translation>%1 道题的 GSM8K 平均 NLL：%2（GQA）-&gt; %3（MLA），困惑度 %4 -&gt; %5</translation>
        </message>
        <message>
            <location filename="../views/lossview.cpp" line="197" />
            <source>Where the loss comes from: RoPE removal %1, rank truncation %2 (full-rank model %3)</source>
            <translation>损失来源：移除 RoPE %1，秩截断 %2（满秩模型 %3）</translation>
        </message>
        <message>
            <location filename="../views/lossview.cpp" line="203" />
            <source>Run a conversion with GSM8K evaluation to compare losses</source>
            <translation>运行带 GSM8K 评估的转换以比较损失</translation>
        </message>
    </context>
    <context>
        <name>transmla::views::MainWindow</name>
        <message>
            <location filename="../views/mainwindow.cpp" line="78" />
            <source>TransMLA Workbench</source>
            <translation>TransMLA Workbench</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="96" />
            <source>&lt;b&gt;Architecture&lt;/b&gt;</source>
            <translation>&lt;b&gt;架构&lt;/b&gt;</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="106" />
            <source>Model</source>
            <translation>模型</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="130" />
            <source>Open a model folder (File &gt; Open model folder)</source>
            <translation>打开一个模型文件夹（文件 &gt; 打开模型文件夹）</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="226" />
            <source>&amp;File</source>
            <translation>文件(&amp;F)</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="227" />
            <source>&amp;Open model folder...</source>
            <translation>打开模型文件夹(&amp;O)...</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="232" />
            <source>Open &amp;session...</source>
            <translation>打开会话(&amp;S)...</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="235" />
            <source>&amp;Save session...</source>
            <translation>保存会话(&amp;S)...</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="76" />
            <location filename="../views/mainwindow.cpp" line="441" />
            <location filename="../views/mainwindow.cpp" line="451" />
            <location filename="../views/mainwindow.cpp" line="458" />
            <location filename="../views/mainwindow.cpp" line="466" />
            <source>Conversion</source>
            <translation>转换</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="77" />
            <source>Classroom</source>
            <translation>课堂</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="101" />
            <source>&lt;b&gt;Tensors&lt;/b&gt;</source>
            <translation>&lt;b&gt;张量&lt;/b&gt;</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="107" />
            <source>Spectrum</source>
            <translation>频谱</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="108" />
            <source>KV budget</source>
            <translation>KV 预算</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="109" />
            <location filename="../views/mainwindow.cpp" line="558" />
            <source>Attention</source>
            <translation>注意力</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="110" />
            <source>Loss</source>
            <translation>损失</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="133" />
            <source>Results are stale (settings changed)</source>
            <translation>结果已过时（设置已更改）</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="154" />
            <location filename="../views/mainwindow.cpp" line="155" />
            <location filename="../views/mainwindow.cpp" line="638" />
            <source>%1 ...</source>
            <translation>%1 ...</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="159" />
            <source>Cancelling...</source>
            <translation>正在取消...</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="162" />
            <source>%1 is running: wait for it or cancel it before %2</source>
            <translation>%1 正在运行：请等待其完成或先取消，然后再%2</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="212" />
            <source>Closing the window</source>
            <translation>关闭窗口</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="229" />
            <source>Open &amp;recent</source>
            <translation>最近打开(&amp;R)</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="239" />
            <source>Export current &amp;plot...</source>
            <translation>导出当前图表(&amp;P)...</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="241" />
            <source>E&amp;xport converted model (DeepSeek-V3)...</source>
            <translation>导出转换后的模型（DeepSeek-V3）(&amp;X)...</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="243" />
            <source>Export for vLLM / SGLang &amp;serving...</source>
            <translation>为 vLLM / SGLang 部署导出(&amp;S)...</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="247" />
            <source>Re&amp;port...</source>
            <translation>报告(&amp;P)...</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="250" />
            <source>&amp;Quit</source>
            <translation>退出(&amp;Q)</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="253" />
            <source>&amp;View</source>
            <translation>视图(&amp;V)</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="254" />
            <source>&amp;Model</source>
            <translation>模型(&amp;M)</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="254" />
            <source>&amp;Spectrum</source>
            <translation>频谱(&amp;S)</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="254" />
            <source>KV &amp;budget</source>
            <translation>KV 预算(&amp;B)</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="254" />
            <source>&amp;Attention</source>
            <translation>注意力(&amp;A)</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="254" />
            <source>&amp;Loss</source>
            <translation>损失(&amp;L)</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="265" />
            <source>&amp;Classroom mode</source>
            <translation>课堂模式(&amp;C)</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="271" />
            <source>&amp;Run</source>
            <translation>运行(&amp;R)</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="273" />
            <source>&amp;Convert</source>
            <translation>转换(&amp;C)</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="276" />
            <source>C&amp;ancel</source>
            <translation>取消(&amp;A)</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="279" />
            <source>Rank &amp;sweep</source>
            <translation>秩扫描(&amp;S)</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="284" />
            <source>&amp;Help</source>
            <translation>帮助(&amp;H)</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="285" />
            <source>&amp;About</source>
            <translation>关于(&amp;A)</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="340" />
            <source>Open a Hugging Face model folder</source>
            <translation>打开 Hugging Face 模型文件夹</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="346" />
            <location filename="../views/mainwindow.cpp" line="350" />
            <source>Opening a model</source>
            <translation>打开模型</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="353" />
            <source>Reading model</source>
            <translation>正在读取模型</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="368" />
            <source>Reading %1 ...</source>
            <translation>正在读取 %1 ...</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="386" />
            <source>TransMLA Workbench - %1</source>
            <translation>TransMLA Workbench - %1</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="387" />
            <source>%1: %2 layers, %3 query / %4 KV heads</source>
            <translation>%1：%2 层，%3 个查询头 / %4 个 KV 头</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="398" />
            <source>Could not open %1</source>
            <translation>无法打开 %1</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="399" />
            <source>Cannot open model</source>
            <translation>无法打开模型</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="400" />
            <source>The folder could not be read as a Hugging Face model:</source>
            <translation>无法将该文件夹读取为 Hugging Face 模型：</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="403" />
            <source>A model folder needs config.json, the *.safetensors weights (with model.safetensors.index.json when sharded) and tokenizer.json.

%1</source>
            <translation>模型文件夹需要 config.json、*.safetensors 权重（分片时还需 model.safetensors.index.json）以及 tokenizer.json。

%1</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="461" />
            <source>A new conversion</source>
            <translation>新的转换</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="521" />
            <source>Export for vLLM / SGLang serving (bf16, kv_lora_rank 512 + RoPE 64)</source>
            <translation>为 vLLM / SGLang 部署导出（bf16，kv_lora_rank 512 + RoPE 64）</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="522" />
            <source>Export a DeepSeek-V3 model folder</source>
            <translation>导出 DeepSeek-V3 模型文件夹</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="533" />
            <source>Export</source>
            <translation>导出</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="547" />
            <source>Exported %1</source>
            <translation>已导出 %1</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="578" />
            <location filename="../views/mainwindow.cpp" line="612" />
            <source>Rank sweep</source>
            <translation>秩扫描</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="598" />
            <source>A new rank sweep</source>
            <translation>新的秩扫描</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="636" />
            <location filename="../views/mainwindow.cpp" line="639" />
            <source>%1 finished</source>
            <translation>%1 已完成</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="642" />
            <location filename="../views/mainwindow.cpp" line="643" />
            <source>%1: %2</source>
            <translation>%1：%2</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="646" />
            <source>%1 failed</source>
            <translation>%1 失败</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="705" />
            <source>KV cache %1 -&gt; %2 bytes/token, max rank %3, FreqFold %4, %5 s</source>
            <translation>KV 缓存 %1 -&gt; %2 字节/token，最大秩 %3，FreqFold %4，%5 秒</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="716" />
            <source>Saved session %1</source>
            <translation>已保存会话 %1</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="720" />
            <source>Cannot save session</source>
            <translation>无法保存会话</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="727" />
            <location filename="../views/mainwindow.cpp" line="730" />
            <source>Opening a session</source>
            <translation>打开会话</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="736" />
            <source>Opened session %1</source>
            <translation>已打开会话 %1</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="739" />
            <source>Cannot open session</source>
            <translation>无法打开会话</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="746" />
            <source>Open session</source>
            <translation>打开会话</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="746" />
            <location filename="../views/mainwindow.cpp" line="751" />
            <source>Sessions (*.h5)</source>
            <translation>会话 (*.h5)</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="751" />
            <source>Save session</source>
            <translation>保存会话</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="765" />
            <source>Choose a plot tab first</source>
            <translation>请先选择一个图表标签页</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="776" />
            <source>Write a report folder (report.md + plots)</source>
            <translation>写入报告文件夹（report.md + 图表）</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="780" />
            <source>Cannot write the report</source>
            <translation>无法写入报告</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="784" />
            <source>Run a conversion (or open a session) first: there is nothing to report.</source>
            <translation>请先运行转换（或打开会话）：没有可报告的内容。</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="786" />
            <source>Singular value spectra</source>
            <translation>奇异值谱</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="787" />
            <source>KV cache budget</source>
            <translation>KV 缓存预算</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="788" />
            <source>Attention maps</source>
            <translation>注意力图</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="789" />
            <source>GSM8K loss</source>
            <translation>GSM8K 损失</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="790" />
            <source>Wrote the report %1</source>
            <translation>已写入报告 %1</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="854" />
            <source>About TransMLA Workbench</source>
            <translation>关于 TransMLA Workbench</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="855" />
            <source>&lt;b&gt;TransMLA Workbench&lt;/b&gt; %1&lt;br&gt;Converts GQA language models to Multi-head Latent Attention (TransMLA) and shows what the conversion did.</source>
            <translation>&lt;b&gt;TransMLA Workbench&lt;/b&gt; %1&lt;br&gt;将 GQA 语言模型转换为多头潜在注意力（TransMLA），并展示转换的效果。</translation>
        </message>
        <message>
            <location filename="../views/mainwindow_quality.cpp" line="22" />
            <source>Heal</source>
            <translation>修复</translation>
        </message>
        <message>
            <location filename="../views/mainwindow_quality.cpp" line="23" />
            <source>Pareto</source>
            <translation>帕累托</translation>
        </message>
        <message>
            <location filename="../views/mainwindow_quality.cpp" line="41" />
            <source>Applied r_R %1, FreqFold %2 to the conversion settings</source>
            <translation>已将 r_R %1、FreqFold %2 应用到转换设置</translation>
        </message>
        <message>
            <location filename="../views/mainwindow_quality.cpp" line="43" />
            <location filename="../views/mainwindow_quality.cpp" line="84" />
            <location filename="../views/mainwindow_quality.cpp" line="104" />
            <source>Healing</source>
            <translation>修复</translation>
        </message>
        <message>
            <location filename="../views/mainwindow_quality.cpp" line="72" />
            <source>Healing is possible once the running job (%1) has finished.</source>
            <translation>正在运行的任务（%1）结束后即可修复。</translation>
        </message>
        <message>
            <location filename="../views/mainwindow_quality.cpp" line="74" />
            <source>A reopened session holds no model in memory: run the conversion again to heal it.</source>
            <translation>重新打开的会话在内存中没有模型：请再次运行转换以进行修复。</translation>
        </message>
        <message>
            <location filename="../views/mainwindow_quality.cpp" line="76" />
            <source>The exact conversion loses nothing: there is nothing to heal.</source>
            <translation>精确转换没有任何损失：无需修复。</translation>
        </message>
        <message>
            <location filename="../views/mainwindow_quality.cpp" line="131" />
            <location filename="../views/mainwindow_quality.cpp" line="139" />
            <location filename="../views/mainwindow_quality.cpp" line="155" />
            <source>Pareto search</source>
            <translation>帕累托搜索</translation>
        </message>
        <message>
            <location filename="../views/mainwindow_quality.cpp" line="168" />
            <location filename="../views/mainwindow_quality.cpp" line="184" />
            <source>Choosing r_R and FreqFold</source>
            <translation>正在选择 r_R 和 FreqFold</translation>
        </message>
        <message>
            <location filename="../views/mainwindow_quality.cpp" line="173" />
            <source>The exact merge has no r_R or FreqFold to choose</source>
            <translation>精确合并没有可选择的 r_R 或 FreqFold</translation>
        </message>
        <message>
            <location filename="../views/mainwindow_speed.cpp" line="23" />
            <source>Speed</source>
            <translation>速度</translation>
        </message>
        <message>
            <location filename="../views/mainwindow_speed.cpp" line="30" />
            <location filename="../views/mainwindow_speed.cpp" line="60" />
            <source>Measuring decoding speed</source>
            <translation>正在测量解码速度</translation>
        </message>
        <message>
            <location filename="../views/mainwindow_speed.cpp" line="72" />
            <source>context %1 x batch %2 needs %3 GiB (GQA cache %4 GiB, MLA cache %5 GiB, prefill %6 GiB), %7 GiB are free: choose a shorter context or a smaller batch</source>
            <translation>上下文 %1 x 批量 %2 需要 %3 GiB（GQA 缓存 %4 GiB，MLA 缓存 %5 GiB，预填充 %6 GiB），可用 %7 GiB：请选择更短的上下文或更小的批量</translation>
        </message>
    </context>
    <context>
        <name>transmla::views::MemoryStatus</name>
        <message>
            <location filename="../views/memorystatus.cpp" line="14" />
            <source>host memory</source>
            <translation>主机内存</translation>
        </message>
        <message>
            <location filename="../views/memorystatus.cpp" line="14" />
            <source>GPU memory</source>
            <translation>GPU 显存</translation>
        </message>
        <message>
            <location filename="../views/memorystatus.cpp" line="36" />
            <source>%1: %2 / %3 GiB free</source>
            <translation>%1：%2 / %3 GiB 可用</translation>
        </message>
        <message>
            <location filename="../views/memorystatus.cpp" line="39" />
            <source>, needs %1 + %2 GiB</source>
            <translation>，需要 %1 + %2 GiB</translation>
        </message>
        <message>
            <location filename="../views/memorystatus.cpp" line="47" />
            <source>Free memory of the chosen device, and what the open model (weights in the chosen precision) and its conversion (calibration, cached bases, evaluation) will need there</source>
            <translation>所选设备的可用内存，以及打开的模型（所选精度的权重）及其转换（校准、缓存的基、评估）在该设备上所需的内存</translation>
        </message>
        <message>
            <location filename="../views/memorystatus.cpp" line="60" />
            <source>This model will not fit: it needs about %1 GiB of %2 (weights %3 GiB + conversion %4 GiB), and %5 GiB are free. Nothing was loaded.</source>
            <translation>此模型放不下：约需 %1 GiB 的%2（权重 %3 GiB + 转换 %4 GiB），可用仅 %5 GiB。未加载任何内容。</translation>
        </message>
        <message>
            <location filename="../views/memorystatus.cpp" line="64" />
            <source>Alternatives:</source>
            <translation>替代方案：</translation>
        </message>
        <message>
            <location filename="../views/memorystatus.cpp" line="67" />
            <source>bf16 instead of f32 (device list): about %1 GiB</source>
            <translation>用 bf16 代替 f32（设备列表）：约 %1 GiB</translation>
        </message>
        <message>
            <location filename="../views/memorystatus.cpp" line="69" />
            <source>the CPU: %1 GiB of host memory free</source>
            <translation>CPU：主机内存可用 %1 GiB</translation>
        </message>
        <message>
            <location filename="../views/memorystatus.cpp" line="72" />
            <source>the streamed conversion without evaluation, which holds about one layer (%1 GiB) on the device: transmla convert MODEL --kv-lora-rank R --device cuda --out DIR</source>
            <translation>不做评估的流式转换，设备上只保留约一层（%1 GiB）：transmla convert MODEL --kv-lora-rank R --device cuda --out DIR</translation>
        </message>
    </context>
    <context>
        <name>transmla::views::ParetoView</name>
        <message>
            <location filename="../views/paretoview.cpp" line="40" />
            <source>Search</source>
            <translation>搜索</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="41" />
            <source>Choose r_R and FreqFold</source>
            <translation>选择 r_R 和 FreqFold</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="41" />
            <source>Apply choice</source>
            <translation>应用所选</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="43" />
            <location filename="../views/paretoview.cpp" line="174" />
            <source>Pareto front</source>
            <translation>帕累托前沿</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="47" />
            <source>e.g. 16,32,full</source>
            <translation>例如 16,32,full</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="48" />
            <source>default</source>
            <translation>默认</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="49" />
            <source>e.g. 1,2,4</source>
            <translation>例如 1,2,4</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="53" />
            <source>Held-out sequences of the calibration source (after the calibration's own; never the GSM8K test set)</source>
            <translation>校准数据源中的留出序列（位于校准序列之后；绝不使用 GSM8K 测试集）</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="58" />
            <source>Compare every r_R and FreqFold at the panel's rank (equal KV bytes) on held-out text</source>
            <translation>在面板的秩下（相同 KV 字节数）于留出文本上比较每个 r_R 与 FreqFold</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="61" />
            <source>Ranks:</source>
            <translation>秩：</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="63" />
            <source>r_R:</source>
            <translation>r_R：</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="65" />
            <source>FreqFold:</source>
            <translation>FreqFold：</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="67" />
            <source>Held-out:</source>
            <translation>留出：</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="89" />
            <source>KV cache per token (bytes, 16-bit)</source>
            <translation>每词元 KV 缓存（字节，16 位）</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="90" />
            <source>held-out loss (mean NLL)</source>
            <translation>留出损失（平均 NLL）</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="115" />
            <source>Ranks</source>
            <translation>秩</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="115" />
            <source>r_R</source>
            <translation>r_R</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="115" />
            <source>FreqFold</source>
            <translation>FreqFold</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="119" />
            <source>%1: comma-separated positive whole numbers (ranks also "full")</source>
            <translation>%1：以逗号分隔的正整数（秩也可为 "full"）</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="146" />
            <source>Search a grid of ranks, r_R and FreqFold for the held-out loss against the KV cache size, or let the held-out loss choose r_R and FreqFold at the panel's rank.</source>
            <translation>在秩、r_R 与 FreqFold 的网格上搜索留出损失与 KV 缓存大小的关系，或让留出损失在面板的秩下选择 r_R 与 FreqFold。</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="169" />
            <source>candidates</source>
            <translation>候选</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="179" />
            <source>original model</source>
            <translation>原模型</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="187" />
            <source>r %1, r_R %2, FreqFold %3: %4</source>
            <translation>r %1，r_R %2，FreqFold %3：%4</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="194" />
            <source>chosen</source>
            <translation>已选</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="200" />
            <source>Chosen by held-out loss: %1</source>
            <translation>按留出损失选择：%1</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="201" />
            <source>Lowest held-out loss: %1</source>
            <translation>最低留出损失：%1</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="204" />
            <source>r %1 / r_R %2 / FreqFold %3: %4 (%5 B)</source>
            <translation>r %1 / r_R %2 / FreqFold %3：%4（%5 B）</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="210" />
            <source>r_R %1 / FreqFold %2: skipped (%3)</source>
            <translation>r_R %1 / FreqFold %2：已跳过（%3）</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="214" />
            <source>Candidates: %1</source>
            <translation>候选：%1</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="215" />
            <source>Original model %1 on %2 held-out tokens; %3 s.</source>
            <translation>原模型 %1，留出词元 %2 个；%3 秒。</translation>
        </message>
    </context>
    <context>
        <name>transmla::views::PlotView</name>
        <message>
            <location filename="../views/plotview.cpp" line="34" />
            <source>Wheel: zoom, drag: pan, double-click: reset view</source>
            <translation>滚轮：缩放，拖动：平移，双击：重置视图</translation>
        </message>
        <message>
            <location filename="../views/plotview.cpp" line="36" />
            <source>Reset view</source>
            <translation>重置视图</translation>
        </message>
        <message>
            <location filename="../views/plotview.cpp" line="39" />
            <source>Export plot (PNG, SVG, CSV)...</source>
            <translation>导出图表（PNG、SVG、CSV）...</translation>
        </message>
        <message>
            <location filename="../views/plotview.cpp" line="183" />
            <source>x %1, y %2: %3</source>
            <translation>x %1, y %2：%3</translation>
        </message>
        <message>
            <location filename="../views/plotview.cpp" line="191" />
            <location filename="../views/plotview.cpp" line="204" />
            <source>%1x = %2, y = %3</source>
            <translation>%1x = %2，y = %3</translation>
        </message>
        <message>
            <location filename="../views/plotview.cpp" line="211" />
            <source>x = %1, y = %2</source>
            <translation>x = %1，y = %2</translation>
        </message>
        <message>
            <location filename="../views/plotview.cpp" line="236" />
            <source>Unknown export format '%1' (use .png, .svg or .csv)</source>
            <translation>未知的导出格式“%1”（请使用 .png、.svg 或 .csv）</translation>
        </message>
        <message>
            <location filename="../views/plotview.cpp" line="239" />
            <location filename="../views/plotview.cpp" line="245" />
            <source>Could not write %1</source>
            <translation>无法写入 %1</translation>
        </message>
        <message>
            <location filename="../views/plotview.cpp" line="263" />
            <source>Export plot</source>
            <translation>导出图表</translation>
        </message>
        <message>
            <location filename="../views/plotview.cpp" line="263" />
            <source>PNG image (*.png);;SVG drawing (*.svg);;CSV data (*.csv)</source>
            <translation>PNG 图像 (*.png);;SVG 矢量图 (*.svg);;CSV 数据 (*.csv)</translation>
        </message>
        <message>
            <location filename="../views/plotview.cpp" line="265" />
            <source>Export failed</source>
            <translation>导出失败</translation>
        </message>
    </context>
    <context>
        <name>transmla::views::RankFollower</name>
        <message>
            <location filename="../views/rankfollower.h" line="27" />
            <source>Rank change</source>
            <translation>秩变更</translation>
        </message>
        <message>
            <location filename="../views/rankfollower.h" line="30" />
            <source>Details</source>
            <translation>详细信息</translation>
        </message>
    </context>
    <context>
        <name>transmla::views::SpectrumView</name>
        <message>
            <location filename="../views/spectrumview.cpp" line="24" />
            <source>Spectrum</source>
            <translation>频谱</translation>
        </message>
        <message>
            <location filename="../views/spectrumview.cpp" line="25" />
            <source>Latent (joint PCA of K_nope and V)</source>
            <translation>潜在向量（K_nope 与 V 的联合 PCA）</translation>
        </message>
        <message>
            <location filename="../views/spectrumview.cpp" line="25" />
            <source>K weights</source>
            <translation>K 权重</translation>
        </message>
        <message>
            <location filename="../views/spectrumview.cpp" line="25" />
            <source>V weights</source>
            <translation>V 权重</translation>
        </message>
        <message>
            <location filename="../views/spectrumview.cpp" line="26" />
            <source>Keys before RoPE</source>
            <translation>RoPE 之前的键</translation>
        </message>
        <message>
            <location filename="../views/spectrumview.cpp" line="26" />
            <source>Keys after RoPE</source>
            <translation>RoPE 之后的键</translation>
        </message>
        <message>
            <location filename="../views/spectrumview.cpp" line="26" />
            <source>Values</source>
            <translation>值向量</translation>
        </message>
        <message>
            <location filename="../views/spectrumview.cpp" line="27" />
            <source>Spectrum:</source>
            <translation>频谱：</translation>
        </message>
        <message>
            <location filename="../views/spectrumview.cpp" line="29" />
            <source>Layer:</source>
            <translation>层：</translation>
        </message>
        <message>
            <location filename="../views/spectrumview.cpp" line="31" />
            <source>KV head:</source>
            <translation>KV 头：</translation>
        </message>
        <message>
            <location filename="../views/spectrumview.cpp" line="49" />
            <source>singular value</source>
            <translation>奇异值</translation>
        </message>
        <message>
            <location filename="../views/spectrumview.cpp" line="50" />
            <location filename="../views/spectrumview.cpp" line="61" />
            <source>cumulative energy</source>
            <translation>累积能量</translation>
        </message>
        <message>
            <location filename="../views/spectrumview.cpp" line="58" />
            <source>singular value (log)</source>
            <translation>奇异值（对数）</translation>
        </message>
        <message>
            <location filename="../views/spectrumview.cpp" line="62" />
            <source>index (rank)</source>
            <translation>索引（秩）</translation>
        </message>
        <message>
            <location filename="../views/spectrumview.cpp" line="107" />
            <source>all</source>
            <translation>全部</translation>
        </message>
        <message>
            <location filename="../views/spectrumview.cpp" line="164" />
            <source>rank %1 keeps %2% of the energy</source>
            <translation>秩 %1 保留 %2% 的能量</translation>
        </message>
        <message>
            <location filename="../views/spectrumview.cpp" line="167" />
            <source>Run a conversion to see spectra</source>
            <translation>运行一次转换以查看频谱</translation>
        </message>
        <message>
            <location filename="../views/spectrumview.cpp" line="185" />
            <source>index %1: singular value %2, cumulative energy %3%</source>
            <translation>索引 %1：奇异值 %2，累积能量 %3%</translation>
        </message>
    </context>
    <context>
        <name>transmla::views::SpeedModel</name>
        <message>
            <location filename="../views/speedmodel.cpp" line="28" />
            <source>%1 x %2</source>
            <translation>%1 x %2</translation>
        </message>
        <message>
            <location filename="../views/speedmodel.cpp" line="45" />
            <source>context %1 x batch %2, %3 timed steps on %4 (%5); MLA r = %6, r_R = %7</source>
            <translation>上下文 %1 x 批量 %2，在 %4（%5）上计时 %3 步；MLA r = %6，r_R = %7</translation>
        </message>
        <message>
            <location filename="../views/speedmodel.cpp" line="87" />
            <source>Allocated cache: context + 1 + steps positions per sequence</source>
            <translation>已分配缓存：每个序列 上下文 + 1 + 步数 个位置</translation>
        </message>
        <message>
            <location filename="../views/speedmodel.cpp" line="89" />
            <source>Measured: allocated MLA cache / allocated GQA cache</source>
            <translation>实测：已分配的 MLA 缓存 / 已分配的 GQA 缓存</translation>
        </message>
        <message>
            <location filename="../views/speedmodel.cpp" line="91" />
            <source>Analytic: MLA / GQA bytes per token from the KV budget formulas</source>
            <translation>解析：根据 KV 预算公式得到的每词元 MLA / GQA 字节数</translation>
        </message>
        <message>
            <location filename="../views/speedmodel.cpp" line="99" />
            <source>context x batch</source>
            <translation>上下文 x 批量</translation>
        </message>
        <message>
            <location filename="../views/speedmodel.cpp" line="101" />
            <source>GQA ms/step</source>
            <translation>GQA 毫秒/步</translation>
        </message>
        <message>
            <location filename="../views/speedmodel.cpp" line="103" />
            <source>MLA ms/step</source>
            <translation>MLA 毫秒/步</translation>
        </message>
        <message>
            <location filename="../views/speedmodel.cpp" line="105" />
            <source>GQA tok/s</source>
            <translation>GQA 词元/秒</translation>
        </message>
        <message>
            <location filename="../views/speedmodel.cpp" line="107" />
            <source>MLA tok/s</source>
            <translation>MLA 词元/秒</translation>
        </message>
        <message>
            <location filename="../views/speedmodel.cpp" line="109" />
            <source>GQA cache</source>
            <translation>GQA 缓存</translation>
        </message>
        <message>
            <location filename="../views/speedmodel.cpp" line="111" />
            <source>MLA cache</source>
            <translation>MLA 缓存</translation>
        </message>
        <message>
            <location filename="../views/speedmodel.cpp" line="113" />
            <source>cache MLA/GQA</source>
            <translation>缓存 MLA/GQA</translation>
        </message>
        <message>
            <location filename="../views/speedmodel.cpp" line="115" />
            <source>budget MLA/GQA</source>
            <translation>预算 MLA/GQA</translation>
        </message>
        <message>
            <location filename="../views/speedmodel.cpp" line="117" />
            <source>tok/s MLA/GQA</source>
            <translation>词元/秒 MLA/GQA</translation>
        </message>
    </context>
    <context>
        <name>transmla::views::SpeedView</name>
        <message>
            <location filename="../views/speedview.cpp" line="28" />
            <source>Measure</source>
            <translation>测量</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="29" />
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="29" />
            <source>Clear</source>
            <translation>清除</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="31" />
            <source>Decoding speed</source>
            <translation>解码速度</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="34" />
            <source>Context tokens per sequence before decoding (synthetic token ids)</source>
            <translation>解码前每个序列的上下文词元数（合成词元 ID）</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="36" />
            <source>Sequences decoded together</source>
            <translation>同时解码的序列数</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="38" />
            <source>Timed greedy decoding steps (one more, untimed, warms up)</source>
            <translation>计时的贪心解码步数（另有一步不计时，用于预热）</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="52" />
            <location filename="../views/speedview.cpp" line="216" />
            <source>tokens/s</source>
            <translation>词元/秒</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="53" />
            <source>ms per step</source>
            <translation>每步毫秒</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="54" />
            <source>cache size</source>
            <translation>缓存大小</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="55" />
            <source>MLA/GQA ratios</source>
            <translation>MLA/GQA 比值</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="59" />
            <source>Forget the measured settings</source>
            <translation>清除已测量的设置</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="72" />
            <source>Context:</source>
            <translation>上下文：</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="74" />
            <source>Batch:</source>
            <translation>批量：</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="76" />
            <source>Steps:</source>
            <translation>步数：</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="83" />
            <source>Show:</source>
            <translation>显示：</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="129" />
            <source>This session's conversion is not in memory: run the conversion again to measure decoding speed.</source>
            <translation>此会话的转换不在内存中：请重新运行转换以测量解码速度。</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="131" />
            <source>No converted model yet: run the conversion first. Then Measure decodes with the original model's GQA cache and with the converted model's MLA latent cache.</source>
            <translation>尚无转换后的模型：请先运行转换。之后“测量”将分别使用原始模型的 GQA 缓存和转换后模型的 MLA 潜在缓存进行解码。</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="134" />
            <source>Choose a context and a batch, then Measure (on the CPU, small contexts such as 256 x 1 take seconds).</source>
            <translation>选择上下文和批量，然后点击“测量”（在 CPU 上，256 x 1 这样的小上下文只需几秒）。</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="141" />
            <source>%1: GQA %2 tok/s (%3 ms/step), MLA %4 tok/s (%5 ms/step); MLA cache %6 of GQA's (budget %7)</source>
            <translation>%1：GQA %2 词元/秒（%3 毫秒/步），MLA %4 词元/秒（%5 毫秒/步）；MLA 缓存为 GQA 的 %6（预算 %7）</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="146" />
            <source>(ranks differ by layer: budget at the largest)</source>
            <translation>（各层秩不同：预算按最大秩计算）</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="167" />
            <source>Measuring %1 x %2 ...</source>
            <translation>正在测量 %1 x %2 ...</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="174" />
            <source>%1: %2 of %3</source>
            <translation>%1：%2 / %3</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="179" />
            <source>Cancelling... the measured settings are kept</source>
            <translation>正在取消……已测量的设置将保留</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="184" />
            <source>Not measured: %1</source>
            <translation>未测量：%1</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="197" />
            <source>context x batch</source>
            <translation>上下文 x 批量</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="213" />
            <source>MLA / GQA</source>
            <translation>MLA / GQA</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="214" />
            <source>cache (measured)</source>
            <translation>缓存（实测）</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="215" />
            <source>cache (budget)</source>
            <translation>缓存（预算）</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="228" />
            <source>tokens/s (all sequences)</source>
            <translation>词元/秒（所有序列）</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="229" />
            <source>ms per decoding step</source>
            <translation>每个解码步的毫秒数</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="230" />
            <source>KV cache (MiB)</source>
            <translation>KV 缓存（MiB）</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="231" />
            <source>GQA cache</source>
            <translation>GQA 缓存</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="232" />
            <source>MLA latent cache</source>
            <translation>MLA 潜在缓存</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="235" />
            <source>analytic budget</source>
            <translation>解析预算</translation>
        </message>
    </context>
    <context>
        <name>transmla::views::SummaryModel</name>
        <message>
            <location filename="../views/summarymodel.cpp" line="17" />
            <source>Family</source>
            <translation>系列</translation>
        </message>
        <message>
            <location filename="../views/summarymodel.cpp" line="20" />
            <source>Layers</source>
            <translation>层数</translation>
        </message>
        <message>
            <location filename="../views/summarymodel.cpp" line="21" />
            <source>Hidden size</source>
            <translation>隐藏层大小</translation>
        </message>
        <message>
            <location filename="../views/summarymodel.cpp" line="22" />
            <source>Query heads</source>
            <translation>查询头数</translation>
        </message>
        <message>
            <location filename="../views/summarymodel.cpp" line="23" />
            <source>KV heads</source>
            <translation>KV 头数</translation>
        </message>
        <message>
            <location filename="../views/summarymodel.cpp" line="24" />
            <source>Head dim</source>
            <translation>头维度</translation>
        </message>
        <message>
            <location filename="../views/summarymodel.cpp" line="25" />
            <source>Vocabulary</source>
            <translation>词表大小</translation>
        </message>
        <message>
            <location filename="../views/summarymodel.cpp" line="26" />
            <source>Parameters</source>
            <translation>参数量</translation>
        </message>
        <message>
            <location filename="../views/summarymodel.cpp" line="27" />
            <source>KV cache per token (16-bit)</source>
            <translation>每个 token 的 KV 缓存（16 位）</translation>
        </message>
        <message>
            <location filename="../views/summarymodel.cpp" line="28" />
            <source>%1 bytes</source>
            <translation>%1 字节</translation>
        </message>
        <message>
            <location filename="../views/summarymodel.cpp" line="29" />
            <source>Weights</source>
            <translation>权重</translation>
        </message>
        <message>
            <location filename="../views/summarymodel.cpp" line="33" />
            <source>kv_lora_rank / qk_rope_head_dim</source>
            <translation>kv_lora_rank / qk_rope_head_dim</translation>
        </message>
        <message>
            <location filename="../views/summarymodel.cpp" line="36" />
            <source>Notes</source>
            <translation>备注</translation>
        </message>
        <message>
            <location filename="../views/summarymodel.cpp" line="62" />
            <source>Property</source>
            <translation>属性</translation>
        </message>
        <message>
            <location filename="../views/summarymodel.cpp" line="62" />
            <source>Value</source>
            <translation>值</translation>
        </message>
    </context>
    <context>
        <name>transmla::views::TensorModel</name>
        <message>
            <location filename="../views/tablemodels.cpp" line="60" />
            <source>Tensor</source>
            <translation>张量</translation>
        </message>
        <message>
            <location filename="../views/tablemodels.cpp" line="62" />
            <source>Dtype</source>
            <translation>数据类型</translation>
        </message>
        <message>
            <location filename="../views/tablemodels.cpp" line="64" />
            <source>Shape</source>
            <translation>形状</translation>
        </message>
        <message>
            <location filename="../views/tablemodels.cpp" line="66" />
            <source>Elements</source>
            <translation>元素数</translation>
        </message>
    </context>
</TS>
