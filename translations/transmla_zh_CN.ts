<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>transmla::views::AttentionView</name>
    <message>
        <location filename="../views/attentionview.cpp" line="19"/>
        <source>Compute</source>
        <translation>计算</translation>
    </message>
    <message>
        <location filename="../views/attentionview.cpp" line="20"/>
        <source>Attention map</source>
        <translation>注意力图</translation>
    </message>
    <message>
        <location filename="../views/attentionview.cpp" line="22"/>
        <source>Prompt (default: the first GSM8K test problem)</source>
        <translation>提示词（默认：第一道 GSM8K 测试题）</translation>
    </message>
    <message>
        <location filename="../views/attentionview.cpp" line="23"/>
        <source>Prompt:</source>
        <translation>提示词：</translation>
    </message>
    <message>
        <location filename="../views/attentionview.cpp" line="25"/>
        <source>Layer:</source>
        <translation>层：</translation>
    </message>
    <message>
        <location filename="../views/attentionview.cpp" line="27"/>
        <source>Query head:</source>
        <translation>查询头：</translation>
    </message>
    <message>
        <location filename="../views/attentionview.cpp" line="37"/>
        <source>GQA (before)</source>
        <translation>GQA（转换前）</translation>
    </message>
    <message>
        <location filename="../views/attentionview.cpp" line="37"/>
        <source>MLA (after)</source>
        <translation>MLA（转换后）</translation>
    </message>
    <message>
        <location filename="../views/attentionview.cpp" line="37"/>
        <source>after - before</source>
        <translation>转换后 - 转换前</translation>
    </message>
    <message>
        <location filename="../views/attentionview.cpp" line="46"/>
        <source>key</source>
        <translation>键</translation>
    </message>
    <message>
        <location filename="../views/attentionview.cpp" line="47"/>
        <source>query</source>
        <translation>查询</translation>
    </message>
    <message>
        <location filename="../views/attentionview.cpp" line="56"/>
        <source>probability</source>
        <translation>概率</translation>
    </message>
    <message>
        <location filename="../views/attentionview.cpp" line="57"/>
        <source>difference</source>
        <translation>差异</translation>
    </message>
    <message>
        <location filename="../views/attentionview.cpp" line="152"/>
        <source>Layer %1, head %2, %3 tokens: max |difference| %4, mean KL %5 nats</source>
        <translation>第 %1 层，第 %2 头，%3 个 token：最大 |差异| %4，平均 KL %5 nats</translation>
    </message>
    <message>
        <location filename="../views/attentionview.cpp" line="159"/>
        <source>Run a conversion, then choose a layer and head and press Compute</source>
        <translation>先运行转换，然后选择层和头并点击“计算”</translation>
    </message>
</context>
<context>
    <name>transmla::views::BudgetView</name>
    <message>
        <location filename="../views/budgetview.cpp" line="25"/>
        <source>KV cache budget</source>
        <translation>KV 缓存预算</translation>
    </message>
    <message>
        <location filename="../views/budgetview.cpp" line="29"/>
        <source>GPU:</source>
        <translation>GPU：</translation>
    </message>
    <message>
        <location filename="../views/budgetview.cpp" line="39"/>
        <source>cache form</source>
        <translation>缓存形式</translation>
    </message>
    <message>
        <location filename="../views/budgetview.cpp" line="40"/>
        <source>KV cache per token (KiB, bf16)</source>
        <translation>每个 token 的 KV 缓存（KiB，bf16）</translation>
    </message>
    <message>
        <location filename="../views/budgetview.cpp" line="41"/>
        <source>context length (tokens, log)</source>
        <translation>上下文长度（token，对数）</translation>
    </message>
    <message>
        <location filename="../views/budgetview.cpp" line="42"/>
        <source>weights + KV cache (GiB, log)</source>
        <translation>权重 + KV 缓存（GiB，对数）</translation>
    </message>
    <message>
        <location filename="../views/budgetview.cpp" line="152"/>
        <source>%1: %2 tokens</source>
        <translation>%1：%2 个 token</translation>
    </message>
    <message>
        <location filename="../views/budgetview.cpp" line="153"/>
        <source>Open a model to see its KV cache budget</source>
        <translation>打开模型以查看其 KV 缓存预算</translation>
    </message>
    <message>
        <location filename="../views/budgetview.cpp" line="154"/>
        <source>Max context on this GPU (batch 1): %1</source>
        <translation>此 GPU 上的最大上下文（批大小 1）：%1</translation>
    </message>
</context>
<context>
    <name>transmla::views::ClassroomGuide</name>
    <message>
        <location filename="../views/classroomguide.cpp" line="39"/>
        <source>&lt;h2&gt;From GQA to MLA in three steps&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;三步从 GQA 到 MLA&lt;/h2&gt;</translation>
    </message>
    <message>
        <location filename="../views/classroomguide.cpp" line="40"/>
        <source>The bundled demo model has 8 query heads sharing 2 key/value heads (GQA). We will turn its attention into Multi-head Latent Attention, first exactly, then compressed, and watch the KV cache and the loss. Everything runs on the CPU.</source>
        <translation>内置演示模型有 8 个查询头，共享 2 个键/值头（GQA）。我们将把它的注意力转换为多头潜在注意力，先精确转换，再压缩，并观察 KV 缓存和损失。全部在 CPU 上运行。</translation>
    </message>
    <message>
        <location filename="../views/classroomguide.cpp" line="43"/>
        <source>Start: open the demo model</source>
        <translation>开始：打开演示模型</translation>
    </message>
    <message>
        <location filename="../views/classroomguide.cpp" line="46"/>
        <source>&lt;h2&gt;1. The GQA model&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;1. GQA 模型&lt;/h2&gt;</translation>
    </message>
    <message>
        <location filename="../views/classroomguide.cpp" line="47"/>
        <source>The &lt;b&gt;KV budget&lt;/b&gt; tab shows what every token costs in the cache: K and V for each KV head in every layer. The &lt;b&gt;Model&lt;/b&gt; tab lists the tensors.</source>
        <translation>&lt;b&gt;KV 预算&lt;/b&gt;标签页显示每个 token 在缓存中的开销：每层每个 KV 头的 K 和 V。&lt;b&gt;模型&lt;/b&gt;标签页列出所有张量。</translation>
    </message>
    <message>
        <location filename="../views/classroomguide.cpp" line="49"/>
        <source>Next: exact MLA</source>
        <translation>下一步：精确 MLA</translation>
    </message>
    <message>
        <location filename="../views/classroomguide.cpp" line="52"/>
        <source>&lt;h2&gt;2. Exact MLA&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;2. 精确 MLA&lt;/h2&gt;</translation>
    </message>
    <message>
        <location filename="../views/classroomguide.cpp" line="53"/>
        <source>All KV heads are merged into one latent with RoPE kept on every key dimension: the same cache and the same logits. The &lt;b&gt;Attention&lt;/b&gt; tab shows a difference of zero.</source>
        <translation>所有 KV 头合并为一个潜在向量，每个键维度都保留 RoPE：缓存相同，logits 相同。&lt;b&gt;注意力&lt;/b&gt;标签页显示差异为零。</translation>
    </message>
    <message>
        <location filename="../views/classroomguide.cpp" line="55"/>
        <source>Next: compress</source>
        <translation>下一步：压缩</translation>
    </message>
    <message>
        <location filename="../views/classroomguide.cpp" line="58"/>
        <source>&lt;h2&gt;3. Compressed MLA&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;3. 压缩 MLA&lt;/h2&gt;</translation>
    </message>
    <message>
        <location filename="../views/classroomguide.cpp" line="59"/>
        <source>RoRoPE concentrates the position information in a few dimensions, PCA keeps the strongest latent directions. The &lt;b&gt;Spectrum&lt;/b&gt; tab shows what the rank keeps, &lt;b&gt;Loss&lt;/b&gt; what it costs. Move the kv_lora_rank slider and run again.</source>
        <translation>RoRoPE 将位置信息集中到少数维度，PCA 保留最强的潜在方向。&lt;b&gt;频谱&lt;/b&gt;标签页显示该秩保留了什么，&lt;b&gt;损失&lt;/b&gt;显示其代价。移动 kv_lora_rank 滑块并再次运行。</translation>
    </message>
    <message>
        <location filename="../views/classroomguide.cpp" line="62"/>
        <source>Start over</source>
        <translation>重新开始</translation>
    </message>
</context>
<context>
    <name>transmla::views::ConversionPanel</name>
    <message>
        <location filename="../views/conversionpanel.cpp" line="28"/>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <location filename="../views/conversionpanel.cpp" line="29"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../views/conversionpanel.cpp" line="29"/>
        <source>E&amp;xport...</source>
        <translation>导出(&amp;X)...</translation>
    </message>
    <message>
        <location filename="../views/conversionpanel.cpp" line="38"/>
        <source>Compressed MLA (RoRoPE + FreqFold + PCA)</source>
        <translation>压缩 MLA（RoRoPE + FreqFold + PCA）</translation>
    </message>
    <message>
        <location filename="../views/conversionpanel.cpp" line="39"/>
        <source>Exact MLA (same cache, same logits)</source>
        <translation>精确 MLA（缓存相同，logits 相同）</translation>
    </message>
    <message>
        <location filename="../views/conversionpanel.cpp" line="41"/>
        <source>qk_rope_head_dim: key dimensions that keep RoPE (even)</source>
        <translation>qk_rope_head_dim：保留 RoPE 的键维度（偶数）</translation>
    </message>
    <message>
        <location filename="../views/conversionpanel.cpp" line="42"/>
        <source>auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <location filename="../views/conversionpanel.cpp" line="44"/>
        <source>GSM8K (train)</source>
        <translation>GSM8K（训练集）</translation>
    </message>
    <message>
        <location filename="../views/conversionpanel.cpp" line="45"/>
        <source>WikiText-2</source>
        <translation>WikiText-2</translation>
    </message>
    <message>
        <location filename="../views/conversionpanel.cpp" line="51"/>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <location filename="../views/conversionpanel.cpp" line="52"/>
        <source>CUDA</source>
        <translation>CUDA</translation>
    </message>
    <message>
        <location filename="../views/conversionpanel.cpp" line="53"/>
        <source>none (exact algebra)</source>
        <translation>无（精确代数）</translation>
    </message>
    <message>
        <location filename="../views/conversionpanel.cpp" line="54"/>
        <source>calibrated (DeepSeek kv_a_layernorm, needed for export)</source>
        <translation>校准（DeepSeek kv_a_layernorm，导出时必需）</translation>
    </message>
    <message>
        <location filename="../views/conversionpanel.cpp" line="55"/>
        <source>Evaluate GSM8K loss before and after</source>
        <translation>评估转换前后的 GSM8K 损失</translation>
    </message>
    <message>
        <location filename="../views/conversionpanel.cpp" line="59"/>
        <source> problems</source>
        <translation> 道题</translation>
    </message>
    <message>
        <location filename="../views/conversionpanel.cpp" line="74"/>
        <source>Mode:</source>
        <translation>模式：</translation>
    </message>
    <message>
        <location filename="../views/conversionpanel.cpp" line="75"/>
        <source>kv_lora_rank:</source>
        <translation>kv_lora_rank：</translation>
    </message>
    <message>
        <location filename="../views/conversionpanel.cpp" line="76"/>
        <source>qk_rope_head_dim:</source>
        <translation>qk_rope_head_dim：</translation>
    </message>
    <message>
        <location filename="../views/conversionpanel.cpp" line="77"/>
        <source>FreqFold:</source>
        <translation>FreqFold：</translation>
    </message>
    <message>
        <location filename="../views/conversionpanel.cpp" line="78"/>
        <source>Calibration (samples × tokens):</source>
        <translation>校准（样本 × token）：</translation>
    </message>
    <message>
        <location filename="../views/conversionpanel.cpp" line="79"/>
        <source>Device:</source>
        <translation>设备：</translation>
    </message>
    <message>
        <location filename="../views/conversionpanel.cpp" line="80"/>
        <source>Latent norm:</source>
        <translation>潜在归一化：</translation>
    </message>
    <message>
        <location filename="../views/conversionpanel.cpp" line="84"/>
        <source>KV cache:</source>
        <translation>KV 缓存：</translation>
    </message>
    <message>
        <location filename="../views/conversionpanel.cpp" line="104"/>
        <source>&lt;b&gt;Per layer&lt;/b&gt;</source>
        <translation>&lt;b&gt;逐层&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../views/conversionpanel.cpp" line="161"/>
        <source>1 .. %1 = 2*g*d - qk_rope_head_dim</source>
        <translation>1 .. %1 = 2*g*d - qk_rope_head_dim</translation>
    </message>
    <message>
        <location filename="../views/conversionpanel.cpp" line="168"/>
        <source>Open a model first</source>
        <translation>请先打开一个模型</translation>
    </message>
    <message>
        <location filename="../views/conversionpanel.cpp" line="175"/>
        <source>%1 -&gt; %2 per token (%3% of GQA, bf16)</source>
        <translation>每个 token %1 -&gt; %2（GQA 的 %3%，bf16）</translation>
    </message>
    <message>
        <location filename="../views/conversionpanel.cpp" line="236"/>
        <source>%1: %2 of %3</source>
        <translation>%1：%2 / %3</translation>
    </message>
</context>
<context>
    <name>transmla::views::JobRunner</name>
    <message>
        <location filename="../views/jobrunner.h" line="25"/>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
</context>
<context>
    <name>transmla::views::LayerReportModel</name>
    <message>
        <location filename="../views/tablemodels.cpp" line="84"/>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <location filename="../views/tablemodels.cpp" line="85"/>
        <source>kv_lora_rank</source>
        <translation>kv_lora_rank</translation>
    </message>
    <message>
        <location filename="../views/tablemodels.cpp" line="86"/>
        <source>Energy kept</source>
        <translation>保留能量</translation>
    </message>
    <message>
        <location filename="../views/tablemodels.cpp" line="87"/>
        <source>RoPE energy</source>
        <translation>RoPE 能量</translation>
    </message>
    <message>
        <location filename="../views/tablemodels.cpp" line="88"/>
        <source>alpha</source>
        <translation>alpha</translation>
    </message>
</context>
<context>
    <name>transmla::views::LossView</name>
    <message>
        <location filename="../views/lossview.cpp" line="19"/>
        <source>Rank sweep</source>
        <translation>秩扫描</translation>
    </message>
    <message>
        <location filename="../views/lossview.cpp" line="20"/>
        <source>GSM8K loss</source>
        <translation>GSM8K 损失</translation>
    </message>
    <message>
        <location filename="../views/lossview.cpp" line="21"/>
        <source>Convert at several kv_lora_rank values and evaluate each (loss vs KV cache size)</source>
        <translation>在多个 kv_lora_rank 值下转换并逐一评估（损失与 KV 缓存大小）</translation>
    </message>
    <message>
        <location filename="../views/lossview.cpp" line="31"/>
        <source>mean NLL per problem, GQA (nats/token)</source>
        <translation>每题平均 NLL，GQA（nats/token）</translation>
    </message>
    <message>
        <location filename="../views/lossview.cpp" line="32"/>
        <source>mean NLL per problem, MLA</source>
        <translation>每题平均 NLL，MLA</translation>
    </message>
    <message>
        <location filename="../views/lossview.cpp" line="33"/>
        <source>KV cache per token (bytes, bf16)</source>
        <translation>每个 token 的 KV 缓存（字节，bf16）</translation>
    </message>
    <message>
        <location filename="../views/lossview.cpp" line="34"/>
        <source>GSM8K mean NLL (nats/token)</source>
        <translation>GSM8K 平均 NLL（nats/token）</translation>
    </message>
    <message>
        <location filename="../views/lossview.cpp" line="125"/>
        <source> GQA (original)</source>
        <translation> GQA（原始）</translation>
    </message>
    <message>
        <location filename="../views/lossview.cpp" line="138"/>
        <source>  this conversion</source>
        <translation>  本次转换</translation>
    </message>
    <message>
        <location filename="../views/lossview.cpp" line="147"/>
        <source>GSM8K mean NLL over %1 problems: %2 (GQA) -&gt; %3 (MLA), perplexity %4 -&gt; %5</source>
        <translation>%1 道题的 GSM8K 平均 NLL：%2（GQA）-&gt; %3（MLA），困惑度 %4 -&gt; %5</translation>
    </message>
    <message>
        <location filename="../views/lossview.cpp" line="154"/>
        <source>Run a conversion with GSM8K evaluation to compare losses</source>
        <translation>运行带 GSM8K 评估的转换以比较损失</translation>
    </message>
</context>
<context>
    <name>transmla::views::MainWindow</name>
    <message>
        <location filename="../views/mainwindow.cpp" line="59"/>
        <source>TransMLA Workbench</source>
        <translation>TransMLA Workbench</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="76"/>
        <source>&lt;b&gt;Architecture&lt;/b&gt;</source>
        <translation>&lt;b&gt;架构&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="86"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="102"/>
        <source>Open a model folder (File &gt; Open model folder)</source>
        <translation>打开一个模型文件夹（文件 &gt; 打开模型文件夹）</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="144"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="145"/>
        <source>&amp;Open model folder...</source>
        <translation>打开模型文件夹(&amp;O)...</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="150"/>
        <source>Open &amp;session...</source>
        <translation>打开会话(&amp;S)...</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="152"/>
        <source>&amp;Save session...</source>
        <translation>保存会话(&amp;S)...</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="57"/>
        <location filename="../views/mainwindow.cpp" line="304"/>
        <source>Conversion</source>
        <translation>转换</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="57"/>
        <source>Classroom</source>
        <translation>课堂</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="81"/>
        <source>&lt;b&gt;Tensors&lt;/b&gt;</source>
        <translation>&lt;b&gt;张量&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="87"/>
        <source>Spectrum</source>
        <translation>频谱</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="88"/>
        <source>KV budget</source>
        <translation>KV 预算</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="89"/>
        <location filename="../views/mainwindow.cpp" line="342"/>
        <source>Attention</source>
        <translation>注意力</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="90"/>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="119"/>
        <source>%1 ...</source>
        <translation>%1 ...</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="147"/>
        <source>Open &amp;recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="155"/>
        <source>Export current &amp;plot...</source>
        <translation>导出当前图表(&amp;P)...</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="157"/>
        <source>E&amp;xport converted model (DeepSeek-V3)...</source>
        <translation>导出转换后的模型（DeepSeek-V3）(&amp;X)...</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="159"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="162"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="163"/>
        <source>&amp;Model</source>
        <translation>模型(&amp;M)</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="163"/>
        <source>&amp;Spectrum</source>
        <translation>频谱(&amp;S)</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="163"/>
        <source>KV &amp;budget</source>
        <translation>KV 预算(&amp;B)</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="163"/>
        <source>&amp;Attention</source>
        <translation>注意力(&amp;A)</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="163"/>
        <source>&amp;Loss</source>
        <translation>损失(&amp;L)</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="170"/>
        <source>&amp;Classroom mode</source>
        <translation>课堂模式(&amp;C)</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="176"/>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="178"/>
        <source>&amp;Convert</source>
        <translation>转换(&amp;C)</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="180"/>
        <source>C&amp;ancel</source>
        <translation>取消(&amp;A)</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="182"/>
        <source>Rank &amp;sweep</source>
        <translation>秩扫描(&amp;S)</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="184"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="185"/>
        <source>&amp;About</source>
        <translation>关于(&amp;A)</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="217"/>
        <source>Open a Hugging Face model folder</source>
        <translation>打开 Hugging Face 模型文件夹</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="224"/>
        <source>Reading %1 ...</source>
        <translation>正在读取 %1 ...</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="253"/>
        <source>TransMLA Workbench - %1</source>
        <translation>TransMLA Workbench - %1</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="254"/>
        <source>%1: %2 layers, %3 query / %4 KV heads</source>
        <translation>%1：%2 层，%3 个查询头 / %4 个 KV 头</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="265"/>
        <source>Could not open %1</source>
        <translation>无法打开 %1</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="266"/>
        <source>Cannot open model</source>
        <translation>无法打开模型</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="267"/>
        <source>The folder could not be read as a Hugging Face model:</source>
        <translation>无法将该文件夹读取为 Hugging Face 模型：</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="269"/>
        <source>A model folder needs config.json, the *.safetensors weights (with model.safetensors.index.json when sharded) and tokenizer.json.

%1</source>
        <translation>模型文件夹需要 config.json、*.safetensors 权重（分片时还需 model.safetensors.index.json）以及 tokenizer.json。

%1</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="319"/>
        <source>Export a DeepSeek-V3 model folder</source>
        <translation>导出 DeepSeek-V3 模型文件夹</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="328"/>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="332"/>
        <source>Exported %1</source>
        <translation>已导出 %1</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="367"/>
        <source>Rank sweep</source>
        <translation>秩扫描</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="384"/>
        <source>%1 finished</source>
        <translation>%1 已完成</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="387"/>
        <location filename="../views/mainwindow.cpp" line="388"/>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="390"/>
        <source>%1 failed</source>
        <translation>%1 失败</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="438"/>
        <source>KV cache %1 -&gt; %2 bytes/token, max rank %3, FreqFold %4, %5 s</source>
        <translation>KV 缓存 %1 -&gt; %2 字节/token，最大秩 %3，FreqFold %4，%5 秒</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="449"/>
        <source>Saved session %1</source>
        <translation>已保存会话 %1</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="452"/>
        <source>Cannot save session</source>
        <translation>无法保存会话</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="463"/>
        <source>Opened session %1</source>
        <translation>已打开会话 %1</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="466"/>
        <source>Cannot open session</source>
        <translation>无法打开会话</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="472"/>
        <source>Open session</source>
        <translation>打开会话</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="472"/>
        <location filename="../views/mainwindow.cpp" line="477"/>
        <source>Sessions (*.h5)</source>
        <translation>会话 (*.h5)</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="477"/>
        <source>Save session</source>
        <translation>保存会话</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="487"/>
        <source>Choose a plot tab first</source>
        <translation>请先选择一个图表标签页</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="525"/>
        <source>About TransMLA Workbench</source>
        <translation>关于 TransMLA Workbench</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="526"/>
        <source>&lt;b&gt;TransMLA Workbench&lt;/b&gt; %1&lt;br&gt;Converts GQA language models to Multi-head Latent Attention (TransMLA) and shows what the conversion did.</source>
        <translation>&lt;b&gt;TransMLA Workbench&lt;/b&gt; %1&lt;br&gt;将 GQA 语言模型转换为多头潜在注意力（TransMLA），并展示转换的效果。</translation>
    </message>
</context>
<context>
    <name>transmla::views::PlotView</name>
    <message>
        <location filename="../views/plotview.cpp" line="23"/>
        <source>Export plot (PNG, SVG, CSV)...</source>
        <translation>导出图表（PNG、SVG、CSV）...</translation>
    </message>
    <message>
        <location filename="../views/plotview.cpp" line="95"/>
        <source>Unknown export format &apos;%1&apos; (use .png, .svg or .csv)</source>
        <translation>未知的导出格式“%1”（请使用 .png、.svg 或 .csv）</translation>
    </message>
    <message>
        <location filename="../views/plotview.cpp" line="98"/>
        <source>Could not write %1</source>
        <translation>无法写入 %1</translation>
    </message>
    <message>
        <location filename="../views/plotview.cpp" line="103"/>
        <source>Export plot</source>
        <translation>导出图表</translation>
    </message>
    <message>
        <location filename="../views/plotview.cpp" line="104"/>
        <source>PNG image (*.png);;SVG drawing (*.svg);;CSV data (*.csv)</source>
        <translation>PNG 图像 (*.png);;SVG 矢量图 (*.svg);;CSV 数据 (*.csv)</translation>
    </message>
    <message>
        <location filename="../views/plotview.cpp" line="106"/>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
</context>
<context>
    <name>transmla::views::SpectrumView</name>
    <message>
        <location filename="../views/spectrumview.cpp" line="24"/>
        <source>Spectrum</source>
        <translation>频谱</translation>
    </message>
    <message>
        <location filename="../views/spectrumview.cpp" line="25"/>
        <source>Latent (joint PCA of K_nope and V)</source>
        <translation>潜在向量（K_nope 与 V 的联合 PCA）</translation>
    </message>
    <message>
        <location filename="../views/spectrumview.cpp" line="25"/>
        <source>K weights</source>
        <translation>K 权重</translation>
    </message>
    <message>
        <location filename="../views/spectrumview.cpp" line="25"/>
        <source>V weights</source>
        <translation>V 权重</translation>
    </message>
    <message>
        <location filename="../views/spectrumview.cpp" line="26"/>
        <source>Keys before RoPE</source>
        <translation>RoPE 之前的键</translation>
    </message>
    <message>
        <location filename="../views/spectrumview.cpp" line="26"/>
        <source>Keys after RoPE</source>
        <translation>RoPE 之后的键</translation>
    </message>
    <message>
        <location filename="../views/spectrumview.cpp" line="26"/>
        <source>Values</source>
        <translation>值向量</translation>
    </message>
    <message>
        <location filename="../views/spectrumview.cpp" line="27"/>
        <source>Spectrum:</source>
        <translation>频谱：</translation>
    </message>
    <message>
        <location filename="../views/spectrumview.cpp" line="29"/>
        <source>Layer:</source>
        <translation>层：</translation>
    </message>
    <message>
        <location filename="../views/spectrumview.cpp" line="31"/>
        <source>KV head:</source>
        <translation>KV 头：</translation>
    </message>
    <message>
        <location filename="../views/spectrumview.cpp" line="42"/>
        <source>singular value</source>
        <translation>奇异值</translation>
    </message>
    <message>
        <location filename="../views/spectrumview.cpp" line="43"/>
        <location filename="../views/spectrumview.cpp" line="54"/>
        <source>cumulative energy</source>
        <translation>累积能量</translation>
    </message>
    <message>
        <location filename="../views/spectrumview.cpp" line="51"/>
        <source>singular value (log)</source>
        <translation>奇异值（对数）</translation>
    </message>
    <message>
        <location filename="../views/spectrumview.cpp" line="55"/>
        <source>index (rank)</source>
        <translation>索引（秩）</translation>
    </message>
    <message>
        <location filename="../views/spectrumview.cpp" line="96"/>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <location filename="../views/spectrumview.cpp" line="146"/>
        <source>rank %1 keeps %2% of the energy</source>
        <translation>秩 %1 保留 %2% 的能量</translation>
    </message>
    <message>
        <location filename="../views/spectrumview.cpp" line="147"/>
        <source>Run a conversion to see spectra</source>
        <translation>运行一次转换以查看频谱</translation>
    </message>
    <message>
        <location filename="../views/spectrumview.cpp" line="166"/>
        <source>index %1: singular value %2, cumulative energy %3%</source>
        <translation>索引 %1：奇异值 %2，累积能量 %3%</translation>
    </message>
</context>
<context>
    <name>transmla::views::SummaryModel</name>
    <message>
        <location filename="../views/summarymodel.cpp" line="17"/>
        <source>Family</source>
        <translation>系列</translation>
    </message>
    <message>
        <location filename="../views/summarymodel.cpp" line="19"/>
        <source>Layers</source>
        <translation>层数</translation>
    </message>
    <message>
        <location filename="../views/summarymodel.cpp" line="20"/>
        <source>Hidden size</source>
        <translation>隐藏层大小</translation>
    </message>
    <message>
        <location filename="../views/summarymodel.cpp" line="21"/>
        <source>Query heads</source>
        <translation>查询头数</translation>
    </message>
    <message>
        <location filename="../views/summarymodel.cpp" line="22"/>
        <source>KV heads</source>
        <translation>KV 头数</translation>
    </message>
    <message>
        <location filename="../views/summarymodel.cpp" line="23"/>
        <source>Head dim</source>
        <translation>头维度</translation>
    </message>
    <message>
        <location filename="../views/summarymodel.cpp" line="24"/>
        <source>Vocabulary</source>
        <translation>词表大小</translation>
    </message>
    <message>
        <location filename="../views/summarymodel.cpp" line="25"/>
        <source>Parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <location filename="../views/summarymodel.cpp" line="26"/>
        <source>KV cache per token (16-bit)</source>
        <translation>每个 token 的 KV 缓存（16 位）</translation>
    </message>
    <message>
        <location filename="../views/summarymodel.cpp" line="27"/>
        <source>%1 bytes</source>
        <translation>%1 字节</translation>
    </message>
    <message>
        <location filename="../views/summarymodel.cpp" line="28"/>
        <source>Weights</source>
        <translation>权重</translation>
    </message>
    <message>
        <location filename="../views/summarymodel.cpp" line="32"/>
        <source>kv_lora_rank / qk_rope_head_dim</source>
        <translation>kv_lora_rank / qk_rope_head_dim</translation>
    </message>
    <message>
        <location filename="../views/summarymodel.cpp" line="34"/>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../views/summarymodel.cpp" line="56"/>
        <source>Property</source>
        <translation>属性</translation>
    </message>
    <message>
        <location filename="../views/summarymodel.cpp" line="56"/>
        <source>Value</source>
        <translation>值</translation>
    </message>
</context>
<context>
    <name>transmla::views::TensorModel</name>
    <message>
        <location filename="../views/tablemodels.cpp" line="40"/>
        <source>Tensor</source>
        <translation>张量</translation>
    </message>
    <message>
        <location filename="../views/tablemodels.cpp" line="41"/>
        <source>Dtype</source>
        <translation>数据类型</translation>
    </message>
    <message>
        <location filename="../views/tablemodels.cpp" line="42"/>
        <source>Shape</source>
        <translation>形状</translation>
    </message>
    <message>
        <location filename="../views/tablemodels.cpp" line="43"/>
        <source>Elements</source>
        <translation>元素数</translation>
    </message>
</context>
</TS>
