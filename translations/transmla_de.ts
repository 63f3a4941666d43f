<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context>
    <name>transmla::views::AttentionView</name>
    <message>
        <location filename="../views/attentionview.cpp" line="19"/>
        <source>Compute</source>
        <translation>Berechnen</translation>
    </message>
    <message>
        <location filename="../views/attentionview.cpp" line="20"/>
        <source>Attention map</source>
        <translation>Attention-Karte</translation>
    </message>
    <message>
        <location filename="../views/attentionview.cpp" line="22"/>
        <source>Prompt (default: the first GSM8K test problem)</source>
        <translation>Prompt (Standard: die erste GSM8K-Testaufgabe)</translation>
    </message>
    <message>
        <location filename="../views/attentionview.cpp" line="23"/>
        <source>Prompt:</source>
        <translation>Prompt:</translation>
    </message>
    <message>
        <location filename="../views/attentionview.cpp" line="25"/>
        <source>Layer:</source>
        <translation>Schicht:</translation>
    </message>
    <message>
        <location filename="../views/attentionview.cpp" line="27"/>
        <source>Query head:</source>
        <translation>Query-Kopf:</translation>
    </message>
    <message>
        <location filename="../views/attentionview.cpp" line="37"/>
        <source>GQA (before)</source>
        <translation>GQA (vorher)</translation>
    </message>
    <message>
        <location filename="../views/attentionview.cpp" line="37"/>
        <source>MLA (after)</source>
        <translation>MLA (nachher)</translation>
    </message>
    <message>
        <location filename="../views/attentionview.cpp" line="37"/>
        <source>after - before</source>
        <translation>nachher - vorher</translation>
    </message>
    <message>
        <location filename="../views/attentionview.cpp" line="46"/>
        <source>key</source>
        <translation>Key</translation>
    </message>
    <message>
        <location filename="../views/attentionview.cpp" line="47"/>
        <source>query</source>
        <translation>Query</translation>
    </message>
    <message>
        <location filename="../views/attentionview.cpp" line="56"/>
        <source>probability</source>
        <translation>Wahrscheinlichkeit</translation>
    </message>
    <message>
        <location filename="../views/attentionview.cpp" line="57"/>
        <source>difference</source>
        <translation>Differenz</translation>
    </message>
    <message>
        <location filename="../views/attentionview.cpp" line="152"/>
        <source>Layer %1, head %2, %3 tokens: max |difference| %4, mean KL %5 nats</source>
        <translation>Schicht %1, Kopf %2, %3 Token: max. |Differenz| %4, mittlere KL %5 nats</translation>
    </message>
    <message>
        <location filename="../views/attentionview.cpp" line="159"/>
        <source>Run a conversion, then choose a layer and head and press Compute</source>
        <translation>Starten Sie eine Konvertierung, wählen Sie dann Schicht und Kopf und drücken Sie Berechnen</translation>
    </message>
</context>
<context>
    <name>transmla::views::BudgetView</name>
    <message>
        <location filename="../views/budgetview.cpp" line="25"/>
        <source>KV cache budget</source>
        <translation>KV-Cache-Budget</translation>
    </message>
    <message>
        <location filename="../views/budgetview.cpp" line="29"/>
        <source>GPU:</source>
        <translation>GPU:</translation>
    </message>
    <message>
        <location filename="../views/budgetview.cpp" line="39"/>
        <source>cache form</source>
        <translation>Cache-Form</translation>
    </message>
    <message>
        <location filename="../views/budgetview.cpp" line="40"/>
        <source>KV cache per token (KiB, bf16)</source>
        <translation>KV-Cache pro Token (KiB, bf16)</translation>
    </message>
    <message>
        <location filename="../views/budgetview.cpp" line="41"/>
        <source>context length (tokens, log)</source>
        <translation>Kontextlänge (Token, log)</translation>
    </message>
    <message>
        <location filename="../views/budgetview.cpp" line="42"/>
        <source>weights + KV cache (GiB, log)</source>
        <translation>Gewichte + KV-Cache (GiB, log)</translation>
    </message>
    <message>
        <location filename="../views/budgetview.cpp" line="152"/>
        <source>%1: %2 tokens</source>
        <translation>%1: %2 Token</translation>
    </message>
    <message>
        <location filename="../views/budgetview.cpp" line="153"/>
        <source>Open a model to see its KV cache budget</source>
        <translation>Öffnen Sie ein Modell, um sein KV-Cache-Budget zu sehen</translation>
    </message>
    <message>
        <location filename="../views/budgetview.cpp" line="154"/>
        <source>Max context on this GPU (batch 1): %1</source>
        <translation>Maximaler Kontext auf dieser GPU (Batch 1): %1</translation>
    </message>
</context>
<context>
    <name>transmla::views::ClassroomGuide</name>
    <message>
        <location filename="../views/classroomguide.cpp" line="39"/>
        <source>&lt;h2&gt;From GQA to MLA in three steps&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;Von GQA zu MLA in drei Schritten&lt;/h2&gt;</translation>
    </message>
    <message>
        <location filename="../views/classroomguide.cpp" line="40"/>
        <source>The bundled demo model has 8 query heads sharing 2 key/value heads (GQA). We will turn its attention into Multi-head Latent Attention, first exactly, then compressed, and watch the KV cache and the loss. Everything runs on the CPU.</source>
        <translation>Das mitgelieferte Demo-Modell hat 8 Query-Köpfe, die sich 2 Key/Value-Köpfe teilen (GQA). Wir wandeln seine Attention in Multi-head Latent Attention um, zuerst exakt, dann komprimiert, und beobachten KV-Cache und Loss. Alles läuft auf der CPU.</translation>
    </message>
    <message>
        <location filename="../views/classroomguide.cpp" line="43"/>
        <source>Start: open the demo model</source>
        <translation>Start: Demo-Modell öffnen</translation>
    </message>
    <message>
        <location filename="../views/classroomguide.cpp" line="46"/>
        <source>&lt;h2&gt;1. The GQA model&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;1. Das GQA-Modell&lt;/h2&gt;</translation>
    </message>
    <message>
        <location filename="../views/classroomguide.cpp" line="47"/>
        <source>The &lt;b&gt;KV budget&lt;/b&gt; tab shows what every token costs in the cache: K and V for each KV head in every layer. The &lt;b&gt;Model&lt;/b&gt; tab lists the tensors.</source>
        <translation>Der Reiter &lt;b&gt;KV-Budget&lt;/b&gt; zeigt, was jedes Token im Cache kostet: K und V für jeden KV-Kopf in jeder Schicht. Der Reiter &lt;b&gt;Modell&lt;/b&gt; listet die Tensoren.</translation>
    </message>
    <message>
        <location filename="../views/classroomguide.cpp" line="49"/>
        <source>Next: exact MLA</source>
        <translation>Weiter: exaktes MLA</translation>
    </message>
    <message>
        <location filename="../views/classroomguide.cpp" line="52"/>
        <source>&lt;h2&gt;2. Exact MLA&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;2. Exaktes MLA&lt;/h2&gt;</translation>
    </message>
    <message>
        <location filename="../views/classroomguide.cpp" line="53"/>
        <source>All KV heads are merged into one latent with RoPE kept on every key dimension: the same cache and the same logits. The &lt;b&gt;Attention&lt;/b&gt; tab shows a difference of zero.</source>
        <translation>Alle KV-Köpfe werden zu einem Latent zusammengeführt, RoPE bleibt auf jeder Key-Dimension: gleicher Cache, gleiche Logits. Der Reiter &lt;b&gt;Attention&lt;/b&gt; zeigt eine Differenz von null.</translation>
    </message>
    <message>
        <location filename="../views/classroomguide.cpp" line="55"/>
        <source>Next: compress</source>
        <translation>Weiter: komprimieren</translation>
    </message>
    <message>
        <location filename="../views/classroomguide.cpp" line="58"/>
        <source>&lt;h2&gt;3. Compressed MLA&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;3. Komprimiertes MLA&lt;/h2&gt;</translation>
    </message>
    <message>
        <location filename="../views/classroomguide.cpp" line="59"/>
        <source>RoRoPE concentrates the position information in a few dimensions, PCA keeps the strongest latent directions. The &lt;b&gt;Spectrum&lt;/b&gt; tab shows what the rank keeps, &lt;b&gt;Loss&lt;/b&gt; what it costs. Move the kv_lora_rank slider and run again.</source>
        <translation>RoRoPE bündelt die Positionsinformation in wenigen Dimensionen, die PCA behält die stärksten Latent-Richtungen. Der Reiter &lt;b&gt;Spektrum&lt;/b&gt; zeigt, was der Rang behält, &lt;b&gt;Loss&lt;/b&gt;, was er kostet. Verschieben Sie den kv_lora_rank-Regler und starten Sie erneut.</translation>
    </message>
    <message>
        <location filename="../views/classroomguide.cpp" line="62"/>
        <source>Start over</source>
        <translation>Von vorn beginnen</translation>
    </message>
</context>
<context>
    <name>transmla::views::ConversionPanel</name>
    <message>
        <location filename="../views/conversionpanel.cpp" line="28"/>
        <source>&amp;Run</source>
        <translation>&amp;Ausführen</translation>
    </message>
    <message>
        <location filename="../views/conversionpanel.cpp" line="29"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../views/conversionpanel.cpp" line="29"/>
        <source>E&amp;xport...</source>
        <translation>E&amp;xportieren...</translation>
    </message>
    <message>
        <location filename="../views/conversionpanel.cpp" line="38"/>
        <source>Compressed MLA (RoRoPE + FreqFold + PCA)</source>
        <translation>Komprimiertes MLA (RoRoPE + FreqFold + PCA)</translation>
    </message>
    <message>
        <location filename="../views/conversionpanel.cpp" line="39"/>
        <source>Exact MLA (same cache, same logits)</source>
        <translation>Exaktes MLA (gleicher Cache, gleiche Logits)</translation>
    </message>
    <message>
        <location filename="../views/conversionpanel.cpp" line="41"/>
        <source>qk_rope_head_dim: key dimensions that keep RoPE (even)</source>
        <translation>qk_rope_head_dim: Key-Dimensionen, die RoPE behalten (gerade)</translation>
    </message>
    <message>
        <location filename="../views/conversionpanel.cpp" line="42"/>
        <source>auto</source>
        <translation>auto</translation>
    </message>
    <message>
        <location filename="../views/conversionpanel.cpp" line="44"/>
        <source>GSM8K (train)</source>
        <translation>GSM8K (Training)</translation>
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
        <translation>keine (exakte Algebra)</translation>
    </message>
    <message>
        <location filename="../views/conversionpanel.cpp" line="54"/>
        <source>calibrated (DeepSeek kv_a_layernorm, needed for export)</source>
        <translation>kalibriert (DeepSeek kv_a_layernorm, für den Export nötig)</translation>
    </message>
    <message>
        <location filename="../views/conversionpanel.cpp" line="55"/>
        <source>Evaluate GSM8K loss before and after</source>
        <translation>GSM8K-Loss vorher und nachher auswerten</translation>
    </message>
    <message>
        <location filename="../views/conversionpanel.cpp" line="59"/>
        <source> problems</source>
        <translation> Aufgaben</translation>
    </message>
    <message>
        <location filename="../views/conversionpanel.cpp" line="74"/>
        <source>Mode:</source>
        <translation>Modus:</translation>
    </message>
    <message>
        <location filename="../views/conversionpanel.cpp" line="75"/>
        <source>kv_lora_rank:</source>
        <translation>kv_lora_rank:</translation>
    </message>
    <message>
        <location filename="../views/conversionpanel.cpp" line="76"/>
        <source>qk_rope_head_dim:</source>
        <translation>qk_rope_head_dim:</translation>
    </message>
    <message>
        <location filename="../views/conversionpanel.cpp" line="77"/>
        <source>FreqFold:</source>
        <translation>FreqFold:</translation>
    </message>
    <message>
        <location filename="../views/conversionpanel.cpp" line="78"/>
        <source>Calibration (samples × tokens):</source>
        <translation>Kalibrierung (Sequenzen × Token):</translation>
    </message>
    <message>
        <location filename="../views/conversionpanel.cpp" line="79"/>
        <source>Device:</source>
        <translation>Gerät:</translation>
    </message>
    <message>
        <location filename="../views/conversionpanel.cpp" line="80"/>
        <source>Latent norm:</source>
        <translation>Latent-Norm:</translation>
    </message>
    <message>
        <location filename="../views/conversionpanel.cpp" line="84"/>
        <source>KV cache:</source>
        <translation>KV-Cache:</translation>
    </message>
    <message>
        <location filename="../views/conversionpanel.cpp" line="104"/>
        <source>&lt;b&gt;Per layer&lt;/b&gt;</source>
        <translation>&lt;b&gt;Pro Schicht&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../views/conversionpanel.cpp" line="161"/>
        <source>1 .. %1 = 2*g*d - qk_rope_head_dim</source>
        <translation>1 .. %1 = 2*g*d - qk_rope_head_dim</translation>
    </message>
    <message>
        <location filename="../views/conversionpanel.cpp" line="168"/>
        <source>Open a model first</source>
        <translation>Öffnen Sie zuerst ein Modell</translation>
    </message>
    <message>
        <location filename="../views/conversionpanel.cpp" line="175"/>
        <source>%1 -&gt; %2 per token (%3% of GQA, bf16)</source>
        <translation>%1 -&gt; %2 pro Token (%3% von GQA, bf16)</translation>
    </message>
    <message>
        <location filename="../views/conversionpanel.cpp" line="236"/>
        <source>%1: %2 of %3</source>
        <translation>%1: %2 von %3</translation>
    </message>
</context>
<context>
    <name>transmla::views::JobRunner</name>
    <message>
        <location filename="../views/jobrunner.h" line="25"/>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
</context>
<context>
    <name>transmla::views::LayerReportModel</name>
    <message>
        <location filename="../views/tablemodels.cpp" line="84"/>
        <source>Layer</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <location filename="../views/tablemodels.cpp" line="85"/>
        <source>kv_lora_rank</source>
        <translation>kv_lora_rank</translation>
    </message>
    <message>
        <location filename="../views/tablemodels.cpp" line="86"/>
        <source>Energy kept</source>
        <translation>Erhaltene Energie</translation>
    </message>
    <message>
        <location filename="../views/tablemodels.cpp" line="87"/>
        <source>RoPE energy</source>
        <translation>RoPE-Energie</translation>
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
        <translation>Rang-Durchlauf</translation>
    </message>
    <message>
        <location filename="../views/lossview.cpp" line="20"/>
        <source>GSM8K loss</source>
        <translation>GSM8K-Loss</translation>
    </message>
    <message>
        <location filename="../views/lossview.cpp" line="21"/>
        <source>Convert at several kv_lora_rank values and evaluate each (loss vs KV cache size)</source>
        <translation>Bei mehreren kv_lora_rank-Werten konvertieren und jeweils auswerten (Loss gegen KV-Cache-Größe)</translation>
    </message>
    <message>
        <location filename="../views/lossview.cpp" line="31"/>
        <source>mean NLL per problem, GQA (nats/token)</source>
        <translation>mittlere NLL pro Aufgabe, GQA (nats/Token)</translation>
    </message>
    <message>
        <location filename="../views/lossview.cpp" line="32"/>
        <source>mean NLL per problem, MLA</source>
        <translation>mittlere NLL pro Aufgabe, MLA</translation>
    </message>
    <message>
        <location filename="../views/lossview.cpp" line="33"/>
        <source>KV cache per token (bytes, bf16)</source>
        <translation>KV-Cache pro Token (Bytes, bf16)</translation>
    </message>
    <message>
        <location filename="../views/lossview.cpp" line="34"/>
        <source>GSM8K mean NLL (nats/token)</source>
        <translation>GSM8K mittlere NLL (nats/Token)</translation>
    </message>
    <message>
        <location filename="../views/lossview.cpp" line="125"/>
        <source> GQA (original)</source>
        <translation> GQA (Original)</translation>
    </message>
    <message>
        <location filename="../views/lossview.cpp" line="138"/>
        <source>  this conversion</source>
        <translation>  diese Konvertierung</translation>
    </message>
    <message>
        <location filename="../views/lossview.cpp" line="147"/>
        <source>GSM8K mean NLL over %1 problems: %2 (GQA) -&gt; %3 (MLA), perplexity %4 -&gt; %5</source>
        <translation>GSM8K mittlere NLL über %1 Aufgaben: %2 (GQA) -&gt; %3 (MLA), Perplexität %4 -&gt; %5</translation>
    </message>
    <message>
        <location filename="../views/lossview.cpp" line="154"/>
        <source>Run a conversion with GSM8K evaluation to compare losses</source>
        <translation>Starten Sie eine Konvertierung mit GSM8K-Auswertung, um die Losses zu vergleichen</translation>
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
        <translation>&lt;b&gt;Architektur&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="86"/>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="102"/>
        <source>Open a model folder (File &gt; Open model folder)</source>
        <translation>Öffnen Sie einen Modellordner (Datei &gt; Modellordner öffnen)</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="144"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="145"/>
        <source>&amp;Open model folder...</source>
        <translation>Modellordner ö&amp;ffnen...</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="150"/>
        <source>Open &amp;session...</source>
        <translation>&amp;Sitzung öffnen...</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="152"/>
        <source>&amp;Save session...</source>
        <translation>Sitzung &amp;speichern...</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="57"/>
        <location filename="../views/mainwindow.cpp" line="304"/>
        <source>Conversion</source>
        <translation>Konvertierung</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="57"/>
        <source>Classroom</source>
        <translation>Unterricht</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="81"/>
        <source>&lt;b&gt;Tensors&lt;/b&gt;</source>
        <translation>&lt;b&gt;Tensoren&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="87"/>
        <source>Spectrum</source>
        <translation>Spektrum</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="88"/>
        <source>KV budget</source>
        <translation>KV-Budget</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="89"/>
        <location filename="../views/mainwindow.cpp" line="342"/>
        <source>Attention</source>
        <translation>Attention</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="90"/>
        <source>Loss</source>
        <translation>Loss</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="119"/>
        <source>%1 ...</source>
        <translation>%1 ...</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="147"/>
        <source>Open &amp;recent</source>
        <translation>&amp;Zuletzt geöffnet</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="155"/>
        <source>Export current &amp;plot...</source>
        <translation>Aktuelles &amp;Diagramm exportieren...</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="157"/>
        <source>E&amp;xport converted model (DeepSeek-V3)...</source>
        <translation>Konvertiertes Modell e&amp;xportieren (DeepSeek-V3)...</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="159"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="162"/>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="163"/>
        <source>&amp;Model</source>
        <translation>&amp;Modell</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="163"/>
        <source>&amp;Spectrum</source>
        <translation>&amp;Spektrum</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="163"/>
        <source>KV &amp;budget</source>
        <translation>KV-&amp;Budget</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="163"/>
        <source>&amp;Attention</source>
        <translation>&amp;Attention</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="163"/>
        <source>&amp;Loss</source>
        <translation>&amp;Loss</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="170"/>
        <source>&amp;Classroom mode</source>
        <translation>&amp;Unterrichtsmodus</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="176"/>
        <source>&amp;Run</source>
        <translation>&amp;Ausführen</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="178"/>
        <source>&amp;Convert</source>
        <translation>&amp;Konvertieren</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="180"/>
        <source>C&amp;ancel</source>
        <translation>A&amp;bbrechen</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="182"/>
        <source>Rank &amp;sweep</source>
        <translation>Rang-&amp;Durchlauf</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="184"/>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="185"/>
        <source>&amp;About</source>
        <translation>Ü&amp;ber</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="217"/>
        <source>Open a Hugging Face model folder</source>
        <translation>Hugging-Face-Modellordner öffnen</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="224"/>
        <source>Reading %1 ...</source>
        <translation>Lese %1 ...</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="253"/>
        <source>TransMLA Workbench - %1</source>
        <translation>TransMLA Workbench - %1</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="254"/>
        <source>%1: %2 layers, %3 query / %4 KV heads</source>
        <translation>%1: %2 Schichten, %3 Query- / %4 KV-Köpfe</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="265"/>
        <source>Could not open %1</source>
        <translation>%1 konnte nicht geöffnet werden</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="266"/>
        <source>Cannot open model</source>
        <translation>Modell kann nicht geöffnet werden</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="267"/>
        <source>The folder could not be read as a Hugging Face model:</source>
        <translation>Der Ordner konnte nicht als Hugging-Face-Modell gelesen werden:</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="269"/>
        <source>A model folder needs config.json, the *.safetensors weights (with model.safetensors.index.json when sharded) and tokenizer.json.

%1</source>
        <translation>Ein Modellordner braucht config.json, die *.safetensors-Gewichte (bei Aufteilung mit model.safetensors.index.json) und tokenizer.json.

%1</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="319"/>
        <source>Export a DeepSeek-V3 model folder</source>
        <translation>DeepSeek-V3-Modellordner exportieren</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="328"/>
        <source>Export</source>
        <translation>Export</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="332"/>
        <source>Exported %1</source>
        <translation>%1 exportiert</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="367"/>
        <source>Rank sweep</source>
        <translation>Rang-Durchlauf</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="384"/>
        <source>%1 finished</source>
        <translation>%1 abgeschlossen</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="387"/>
        <location filename="../views/mainwindow.cpp" line="388"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="390"/>
        <source>%1 failed</source>
        <translation>%1 fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="438"/>
        <source>KV cache %1 -&gt; %2 bytes/token, max rank %3, FreqFold %4, %5 s</source>
        <translation>KV-Cache %1 -&gt; %2 Bytes/Token, maximaler Rang %3, FreqFold %4, %5 s</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="449"/>
        <source>Saved session %1</source>
        <translation>Sitzung %1 gespeichert</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="452"/>
        <source>Cannot save session</source>
        <translation>Sitzung kann nicht gespeichert werden</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="463"/>
        <source>Opened session %1</source>
        <translation>Sitzung %1 geöffnet</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="466"/>
        <source>Cannot open session</source>
        <translation>Sitzung kann nicht geöffnet werden</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="472"/>
        <source>Open session</source>
        <translation>Sitzung öffnen</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="472"/>
        <location filename="../views/mainwindow.cpp" line="477"/>
        <source>Sessions (*.h5)</source>
        <translation>Sitzungen (*.h5)</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="477"/>
        <source>Save session</source>
        <translation>Sitzung speichern</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="487"/>
        <source>Choose a plot tab first</source>
        <translation>Wählen Sie zuerst einen Diagramm-Reiter</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="525"/>
        <source>About TransMLA Workbench</source>
        <translation>Über TransMLA Workbench</translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="526"/>
        <source>&lt;b&gt;TransMLA Workbench&lt;/b&gt; %1&lt;br&gt;Converts GQA language models to Multi-head Latent Attention (TransMLA) and shows what the conversion did.</source>
        <translation>&lt;b&gt;TransMLA Workbench&lt;/b&gt; %1&lt;br&gt;Konvertiert GQA-Sprachmodelle in Multi-head Latent Attention (TransMLA) und zeigt, was die Konvertierung bewirkt hat.</translation>
    </message>
</context>
<context>
    <name>transmla::views::PlotView</name>
    <message>
        <location filename="../views/plotview.cpp" line="23"/>
        <source>Export plot (PNG, SVG, CSV)...</source>
        <translation>Diagramm exportieren (PNG, SVG, CSV)...</translation>
    </message>
    <message>
        <location filename="../views/plotview.cpp" line="95"/>
        <source>Unknown export format &apos;%1&apos; (use .png, .svg or .csv)</source>
        <translation>Unbekanntes Exportformat &apos;%1&apos; (verwenden Sie .png, .svg oder .csv)</translation>
    </message>
    <message>
        <location filename="../views/plotview.cpp" line="98"/>
        <source>Could not write %1</source>
        <translation>%1 konnte nicht geschrieben werden</translation>
    </message>
    <message>
        <location filename="../views/plotview.cpp" line="103"/>
        <source>Export plot</source>
        <translation>Diagramm exportieren</translation>
    </message>
    <message>
        <location filename="../views/plotview.cpp" line="104"/>
        <source>PNG image (*.png);;SVG drawing (*.svg);;CSV data (*.csv)</source>
        <translation>PNG-Bild (*.png);;SVG-Zeichnung (*.svg);;CSV-Daten (*.csv)</translation>
    </message>
    <message>
        <location filename="../views/plotview.cpp" line="106"/>
        <source>Export failed</source>
        <translation>Export fehlgeschlagen</translation>
    </message>
</context>
<context>
    <name>transmla::views::SpectrumView</name>
    <message>
        <location filename="../views/spectrumview.cpp" line="24"/>
        <source>Spectrum</source>
        <translation>Spektrum</translation>
    </message>
    <message>
        <location filename="../views/spectrumview.cpp" line="25"/>
        <source>Latent (joint PCA of K_nope and V)</source>
        <translation>Latent (gemeinsame PCA von K_nope und V)</translation>
    </message>
    <message>
        <location filename="../views/spectrumview.cpp" line="25"/>
        <source>K weights</source>
        <translation>K-Gewichte</translation>
    </message>
    <message>
        <location filename="../views/spectrumview.cpp" line="25"/>
        <source>V weights</source>
        <translation>V-Gewichte</translation>
    </message>
    <message>
        <location filename="../views/spectrumview.cpp" line="26"/>
        <source>Keys before RoPE</source>
        <translation>Keys vor RoPE</translation>
    </message>
    <message>
        <location filename="../views/spectrumview.cpp" line="26"/>
        <source>Keys after RoPE</source>
        <translation>Keys nach RoPE</translation>
    </message>
    <message>
        <location filename="../views/spectrumview.cpp" line="26"/>
        <source>Values</source>
        <translation>Values</translation>
    </message>
    <message>
        <location filename="../views/spectrumview.cpp" line="27"/>
        <source>Spectrum:</source>
        <translation>Spektrum:</translation>
    </message>
    <message>
        <location filename="../views/spectrumview.cpp" line="29"/>
        <source>Layer:</source>
        <translation>Schicht:</translation>
    </message>
    <message>
        <location filename="../views/spectrumview.cpp" line="31"/>
        <source>KV head:</source>
        <translation>KV-Kopf:</translation>
    </message>
    <message>
        <location filename="../views/spectrumview.cpp" line="42"/>
        <source>singular value</source>
        <translation>Singulärwert</translation>
    </message>
    <message>
        <location filename="../views/spectrumview.cpp" line="43"/>
        <location filename="../views/spectrumview.cpp" line="54"/>
        <source>cumulative energy</source>
        <translation>kumulative Energie</translation>
    </message>
    <message>
        <location filename="../views/spectrumview.cpp" line="51"/>
        <source>singular value (log)</source>
        <translation>Singulärwert (log)</translation>
    </message>
    <message>
        <location filename="../views/spectrumview.cpp" line="55"/>
        <source>index (rank)</source>
        <translation>Index (Rang)</translation>
    </message>
    <message>
        <location filename="../views/spectrumview.cpp" line="96"/>
        <source>all</source>
        <translation>alle</translation>
    </message>
    <message>
        <location filename="../views/spectrumview.cpp" line="146"/>
        <source>rank %1 keeps %2% of the energy</source>
        <translation>Rang %1 behält %2% der Energie</translation>
    </message>
    <message>
        <location filename="../views/spectrumview.cpp" line="147"/>
        <source>Run a conversion to see spectra</source>
        <translation>Starten Sie eine Konvertierung, um Spektren zu sehen</translation>
    </message>
    <message>
        <location filename="../views/spectrumview.cpp" line="166"/>
        <source>index %1: singular value %2, cumulative energy %3%</source>
        <translation>Index %1: Singulärwert %2, kumulative Energie %3%</translation>
    </message>
</context>
<context>
    <name>transmla::views::SummaryModel</name>
    <message>
        <location filename="../views/summarymodel.cpp" line="17"/>
        <source>Family</source>
        <translation>Familie</translation>
    </message>
    <message>
        <location filename="../views/summarymodel.cpp" line="19"/>
        <source>Layers</source>
        <translation>Schichten</translation>
    </message>
    <message>
        <location filename="../views/summarymodel.cpp" line="20"/>
        <source>Hidden size</source>
        <translation>Versteckte Größe</translation>
    </message>
    <message>
        <location filename="../views/summarymodel.cpp" line="21"/>
        <source>Query heads</source>
        <translation>Query-Köpfe</translation>
    </message>
    <message>
        <location filename="../views/summarymodel.cpp" line="22"/>
        <source>KV heads</source>
        <translation>KV-Köpfe</translation>
    </message>
    <message>
        <location filename="../views/summarymodel.cpp" line="23"/>
        <source>Head dim</source>
        <translation>Kopfdimension</translation>
    </message>
    <message>
        <location filename="../views/summarymodel.cpp" line="24"/>
        <source>Vocabulary</source>
        <translation>Vokabular</translation>
    </message>
    <message>
        <location filename="../views/summarymodel.cpp" line="25"/>
        <source>Parameters</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <location filename="../views/summarymodel.cpp" line="26"/>
        <source>KV cache per token (16-bit)</source>
        <translation>KV-Cache pro Token (16 Bit)</translation>
    </message>
    <message>
        <location filename="../views/summarymodel.cpp" line="27"/>
        <source>%1 bytes</source>
        <translation>%1 Bytes</translation>
    </message>
    <message>
        <location filename="../views/summarymodel.cpp" line="28"/>
        <source>Weights</source>
        <translation>Gewichte</translation>
    </message>
    <message>
        <location filename="../views/summarymodel.cpp" line="32"/>
        <source>kv_lora_rank / qk_rope_head_dim</source>
        <translation>kv_lora_rank / qk_rope_head_dim</translation>
    </message>
    <message>
        <location filename="../views/summarymodel.cpp" line="34"/>
        <source>Notes</source>
        <translation>Hinweise</translation>
    </message>
    <message>
        <location filename="../views/summarymodel.cpp" line="56"/>
        <source>Property</source>
        <translation>Eigenschaft</translation>
    </message>
    <message>
        <location filename="../views/summarymodel.cpp" line="56"/>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
</context>
<context>
    <name>transmla::views::TensorModel</name>
    <message>
        <location filename="../views/tablemodels.cpp" line="40"/>
        <source>Tensor</source>
        <translation>Tensor</translation>
    </message>
    <message>
        <location filename="../views/tablemodels.cpp" line="41"/>
        <source>Dtype</source>
        <translation>Datentyp</translation>
    </message>
    <message>
        <location filename="../views/tablemodels.cpp" line="42"/>
        <source>Shape</source>
        <translation>Form</translation>
    </message>
    <message>
        <location filename="../views/tablemodels.cpp" line="43"/>
        <source>Elements</source>
        <translation>Elemente</translation>
    </message>
</context>
</TS>
