<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
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
            <translation>CUDA %1 (f32)</translation>
        </message>
        <message>
            <location filename="../views/devicechoice.cpp" line="16" />
            <source>CUDA %1 (bf16: half the memory, faster)</source>
            <translation>CUDA %1 (bf16: halber Speicher, schneller)</translation>
        </message>
        <message>
            <location filename="../views/devicechoice.cpp" line="18" />
            <source>CUDA: no device found</source>
            <translation>CUDA: kein Gerät gefunden</translation>
        </message>
        <message>
            <location filename="../views/devicechoice.cpp" line="18" />
            <source>CUDA: not in this build</source>
            <translation>CUDA: in diesem Build nicht enthalten</translation>
        </message>
        <message>
            <location filename="../views/devicechoice.cpp" line="24" />
            <source>This build has CUDA, but no CUDA device was found (no GPU, or its driver is not loaded).</source>
            <translation>Dieser Build unterstützt CUDA, aber es wurde kein CUDA-Gerät gefunden (keine GPU, oder ihr Treiber ist nicht geladen).</translation>
        </message>
        <message>
            <location filename="../views/devicechoice.cpp" line="26" />
            <source>This build uses a LibTorch without CUDA. Build against a CUDA LibTorch: see README, "Building with CUDA".</source>
            <translation>Dieser Build verwendet eine LibTorch ohne CUDA. Gegen eine CUDA-LibTorch bauen: siehe README, „Building with CUDA“.</translation>
        </message>
    </context>
    <context>
        <name>ProgressText</name>
        <message>
            <location filename="../views/progresstext.cpp" line="10" />
            <source>reading the model</source>
            <translation>Modell wird gelesen</translation>
        </message>
        <message>
            <location filename="../views/progresstext.cpp" line="11" />
            <source>loading weights</source>
            <translation>Gewichte werden geladen</translation>
        </message>
        <message>
            <location filename="../views/progresstext.cpp" line="12" />
            <source>GSM8K loss before</source>
            <translation>GSM8K-Verlust vorher</translation>
        </message>
        <message>
            <location filename="../views/progresstext.cpp" line="13" />
            <source>GSM8K loss after</source>
            <translation>GSM8K-Verlust nachher</translation>
        </message>
        <message>
            <location filename="../views/progresstext.cpp" line="14" />
            <source>GSM8K loss of the full-rank model</source>
            <translation>GSM8K-Verlust des Modells mit vollem Rang</translation>
        </message>
        <message>
            <location filename="../views/progresstext.cpp" line="15" />
            <source>WikiText-2 perplexity before</source>
            <translation>WikiText-2-Perplexität vorher</translation>
        </message>
        <message>
            <location filename="../views/progresstext.cpp" line="16" />
            <source>WikiText-2 perplexity after</source>
            <translation>WikiText-2-Perplexität nachher</translation>
        </message>
        <message>
            <location filename="../views/progresstext.cpp" line="17" />
            <source>healing (per layer)</source>
            <translation>Heilung (pro Schicht)</translation>
        </message>
        <message>
            <location filename="../views/progresstext.cpp" line="18" />
            <source>healing (end to end)</source>
            <translation>Heilung (Ende zu Ende)</translation>
        </message>
        <message>
            <location filename="../views/progresstext.cpp" line="19" />
            <source>evaluating</source>
            <translation>Auswertung</translation>
        </message>
        <message>
            <location filename="../views/progresstext.cpp" line="20" />
            <source>activation spectra</source>
            <translation>Aktivierungsspektren</translation>
        </message>
        <message>
            <location filename="../views/progresstext.cpp" line="21" />
            <source>weight spectra</source>
            <translation>Gewichtsspektren</translation>
        </message>
        <message>
            <location filename="../views/progresstext.cpp" line="22" />
            <source>calibrating layers</source>
            <translation>Schichten werden kalibriert</translation>
        </message>
        <message>
            <location filename="../views/progresstext.cpp" line="23" />
            <source>converting layers</source>
            <translation>Schichten werden konvertiert</translation>
        </message>
        <message>
            <location filename="../views/progresstext.cpp" line="24" />
            <source>attention maps</source>
            <translation>Attention-Karten</translation>
        </message>
        <message>
            <location filename="../views/progresstext.cpp" line="25" />
            <source>rank sweep</source>
            <translation>Rang-Durchlauf</translation>
        </message>
        <message>
            <location filename="../views/progresstext.cpp" line="26" />
            <source>re-truncating layers</source>
            <translation>Schichten werden neu gekürzt</translation>
        </message>
        <message>
            <location filename="../views/progresstext.cpp" line="27" />
            <source>held-out search: candidates</source>
            <translation>Suche auf zurückgehaltenem Text: Kandidaten</translation>
        </message>
        <message>
            <location filename="../views/progresstext.cpp" line="28" />
            <source>exporting</source>
            <translation>Export</translation>
        </message>
        <message>
            <location filename="../views/progresstext.cpp" line="29" />
            <source>GQA cache: prefilling the context</source>
            <translation>GQA-Cache: Kontext wird vorab befüllt</translation>
        </message>
        <message>
            <location filename="../views/progresstext.cpp" line="30" />
            <source>GQA cache: decoding</source>
            <translation>GQA-Cache: Dekodieren</translation>
        </message>
        <message>
            <location filename="../views/progresstext.cpp" line="31" />
            <source>MLA latent cache: prefilling the context</source>
            <translation>Latenter MLA-Cache: Kontext wird vorab befüllt</translation>
        </message>
        <message>
            <location filename="../views/progresstext.cpp" line="32" />
            <source>MLA latent cache: decoding</source>
            <translation>Latenter MLA-Cache: Dekodieren</translation>
        </message>
        <message>
            <location filename="../views/progresstext.cpp" line="40" />
            <source>about %1 s left</source>
            <translation>noch etwa %1 s</translation>
        </message>
        <message>
            <location filename="../views/progresstext.cpp" line="41" />
            <source>about %1 min left</source>
            <translation>noch etwa %1 min</translation>
        </message>
    </context>
    <context>
        <name>ReportWriter</name>
        <message>
            <location filename="../views/reportwriter.cpp" line="24" />
            <source>%1 exists and is not a folder: nothing written.</source>
            <translation>%1 existiert und ist kein Ordner: nichts geschrieben.</translation>
        </message>
        <message>
            <location filename="../views/reportwriter.cpp" line="27" />
            <source>%1 is a folder that holds other files, not a report: nothing written. Choose a new or empty folder.</source>
            <translation>%1 ist ein Ordner mit anderen Dateien, kein Bericht: nichts geschrieben. Wählen Sie einen neuen oder leeren Ordner.</translation>
        </message>
        <message>
            <location filename="../views/reportwriter.cpp" line="33" />
            <source>Cannot create %1: nothing written.</source>
            <translation>%1 kann nicht angelegt werden: nichts geschrieben.</translation>
        </message>
        <message>
            <location filename="../views/reportwriter.cpp" line="44" />
            <source>Cannot write the plot "%1" into %2: nothing written.</source>
            <translation>Das Diagramm "%1" kann nicht in %2 geschrieben werden: nichts geschrieben.</translation>
        </message>
        <message>
            <location filename="../views/reportwriter.cpp" line="51" />
            <location filename="../views/reportwriter.cpp" line="58" />
            <source>Cannot write %1: nothing written.</source>
            <translation>%1 kann nicht geschrieben werden: nichts geschrieben.</translation>
        </message>
        <message>
            <location filename="../views/reportwriter.cpp" line="55" />
            <source>Cannot replace %1: nothing written.</source>
            <translation>%1 kann nicht ersetzt werden: nichts geschrieben.</translation>
        </message>
    </context>
    <context>
        <name>UnsavedGuard</name>
        <message>
            <location filename="../views/unsavedguard.cpp" line="10" />
            <source>Unsaved results</source>
            <translation>Nicht gespeicherte Ergebnisse</translation>
        </message>
        <message>
            <location filename="../views/unsavedguard.cpp" line="11" />
            <source>The results of this session have not been saved. %1 discards them.</source>
            <translation>Die Ergebnisse dieser Sitzung wurden nicht gespeichert. %1 verwirft sie.</translation>
        </message>
        <message>
            <location filename="../views/unsavedguard.cpp" line="14" />
            <source>Save them as a session first?</source>
            <translation>Zuerst als Sitzung speichern?</translation>
        </message>
    </context>
    <context>
        <name>transmla::views::AttentionView</name>
        <message>
            <location filename="../views/attentionview.cpp" line="43" />
            <source>Compute</source>
            <translation>Berechnen</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="44" />
            <source>Attention map</source>
            <translation>Attention-Karte</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="46" />
            <source>Prompt (default: the first GSM8K test problem)</source>
            <translation>Prompt (Standard: die erste GSM8K-Testaufgabe)</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="51" />
            <source>One head</source>
            <translation>Ein Kopf</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="51" />
            <source>All heads</source>
            <translation>Alle Köpfe</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="52" />
            <source>One head: before, after and difference. All heads: every query head of the layer</source>
            <translation>Ein Kopf: vorher, nachher und Differenz. Alle Köpfe: jeder Query-Kopf der Schicht</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="53" />
            <source>Prompt:</source>
            <translation>Prompt:</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="55" />
            <source>Layer:</source>
            <translation>Schicht:</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="309" />
            <source>difference (float rounding)</source>
            <translation>Differenz (Gleitkomma-Rundung)</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="324" />
            <source>Layer %1, head %2, %3 tokens</source>
            <translation>Schicht %1, Kopf %2, %3 Tokens</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="325" />
            <source> (the first %1 of the prompt's %2 tokens)</source>
            <translation> (die ersten %1 der %2 Tokens des Prompts)</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="328" />
            <source>: max |difference| %1, float rounding (the maps agree); mean KL %2</source>
            <translation>: max. |Differenz| %1, Gleitkomma-Rundung (die Karten stimmen überein); mittlere KL %2</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="330" />
            <source>0 (rounding)</source>
            <translation>0 (Rundung)</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="332" />
            <source>: max |difference| %1, mean KL %2 nats</source>
            <translation>: max. |Differenz| %1, mittlere KL %2 nats</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="348" />
            <source>head %1, query %2 '%3', key %4 '%5': before %6</source>
            <translation>Kopf %1, Query %2 '%3', Key %4 '%5': vorher %6</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="354" />
            <source>, after %1, difference %2</source>
            <translation>, nachher %1, Differenz %2</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="251" />
            <source>GQA (before)</source>
            <translation>GQA (vorher)</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="251" />
            <source>MLA (after)</source>
            <translation>MLA (nachher)</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="251" />
            <source>after - before</source>
            <translation>nachher - vorher</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="260" />
            <source>head %1</source>
            <translation>Kopf %1</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="273" />
            <source>key</source>
            <translation>Key</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="274" />
            <source>query</source>
            <translation>Query</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="250" />
            <source>probability</source>
            <translation>Wahrscheinlichkeit</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="57" />
            <source>Head:</source>
            <translation>Kopf:</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="58" />
            <source>Query head</source>
            <translation>Query-Kopf</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="310" />
            <source>difference</source>
            <translation>Differenz</translation>
        </message>
        <message>
            <location filename="../views/attentionview.cpp" line="321" />
            <source>Run a conversion, then choose a layer and head and press Compute</source>
            <translation>Starten Sie eine Konvertierung, wählen Sie dann Schicht und Kopf und drücken Sie Berechnen</translation>
        </message>
    </context>
    <context>
        <name>transmla::views::BudgetView</name>
        <message>
            <location filename="../views/budgetview.cpp" line="28" />
            <source>KV cache budget</source>
            <translation>KV-Cache-Budget</translation>
        </message>
        <message>
            <location filename="../views/budgetview.cpp" line="33" />
            <source>GPU:</source>
            <translation>GPU:</translation>
        </message>
        <message>
            <location filename="../views/budgetview.cpp" line="38" />
            <source>Batch:</source>
            <translation>Batch:</translation>
        </message>
        <message>
            <location filename="../views/budgetview.cpp" line="44" />
            <source>Cache:</source>
            <translation>Cache:</translation>
        </message>
        <message>
            <location filename="../views/budgetview.cpp" line="56" />
            <source>cache form</source>
            <translation>Cache-Form</translation>
        </message>
        <message>
            <location filename="../views/budgetview.cpp" line="57" />
            <source>context length (tokens, log)</source>
            <translation>Kontextlänge (Token, log)</translation>
        </message>
        <message>
            <location filename="../views/budgetview.cpp" line="58" />
            <source>weights + KV cache (GiB, log)</source>
            <translation>Gewichte + KV-Cache (GiB, log)</translation>
        </message>
        <message>
            <location filename="../views/budgetview.cpp" line="117" />
            <source>KV cache per token (KiB, %1)</source>
            <translation>KV-Cache pro Token (KiB, %1)</translation>
        </message>
        <message>
            <location filename="../views/budgetview.cpp" line="194" />
            <source>%1: %2 tokens</source>
            <translation>%1: %2 Token</translation>
        </message>
        <message>
            <location filename="../views/budgetview.cpp" line="198" />
            <source>Max context on this GPU (batch %1, %2 cache): %3</source>
            <translation>Maximaler Kontext auf dieser GPU (Batch %1, %2-Cache): %3</translation>
        </message>
        <message>
            <location filename="../views/budgetview.cpp" line="203" />
            <source>(at most max_position_embeddings = %1)</source>
            <translation>(höchstens max_position_embeddings = %1)</translation>
        </message>
        <message>
            <location filename="../views/budgetview.cpp" line="204" />
            <source>Open a model to see its KV cache budget</source>
            <translation>Öffnen Sie ein Modell, um sein KV-Cache-Budget zu sehen</translation>
        </message>
    </context>
    <context>
        <name>transmla::views::ClassroomGuide</name>
        <message>
            <location filename="../views/classroomguide.cpp" line="57" />
            <source>on</source>
            <translation>an</translation>
        </message>
        <message>
            <location filename="../views/classroomguide.cpp" line="57" />
            <source>off</source>
            <translation>aus</translation>
        </message>
        <message>
            <location filename="../views/classroomguide.cpp" line="59" />
            <source>%1: %2 -&gt; %3</source>
            <translation>%1: %2 -&gt; %3</translation>
        </message>
        <message>
            <location filename="../views/classroomguide.cpp" line="62" />
            <source>exact merge</source>
            <translation>exakte Zusammenführung</translation>
        </message>
        <message>
            <location filename="../views/classroomguide.cpp" line="64" />
            <source>kv_lora_rank</source>
            <translation>kv_lora_rank</translation>
        </message>
        <message>
            <location filename="../views/classroomguide.cpp" line="65" />
            <source>calibration samples</source>
            <translation>Kalibrierungsbeispiele</translation>
        </message>
        <message>
            <location filename="../views/classroomguide.cpp" line="67" />
            <source>calibration length (tokens)</source>
            <translation>Kalibrierungslänge (Tokens)</translation>
        </message>
        <message>
            <location filename="../views/classroomguide.cpp" line="69" />
            <source>GSM8K problems</source>
            <translation>GSM8K-Aufgaben</translation>
        </message>
        <message>
            <location filename="../views/classroomguide.cpp" line="77" />
            <source>From GQA to MLA in three steps</source>
            <translation>Von GQA zu MLA in drei Schritten</translation>
        </message>
        <message>
            <location filename="../views/classroomguide.cpp" line="78" />
            <source>The bundled demo model has 8 query heads sharing 2 key/value heads (GQA). We will turn its attention into Multi-head Latent Attention, first exactly, then compressed, and watch the KV cache and the loss. Everything runs on the CPU.</source>
            <translation>Das mitgelieferte Demo-Modell hat 8 Query-Köpfe, die sich 2 Key/Value-Köpfe teilen (GQA). Wir wandeln seine Attention in Multi-head Latent Attention um, zuerst exakt, dann komprimiert, und beobachten KV-Cache und Loss. Alles läuft auf der CPU.</translation>
        </message>
        <message>
            <location filename="../views/classroomguide.cpp" line="81" />
            <source>Next opens the demo model; it changes no setting.</source>
            <translation>Weiter öffnet das Demomodell; es ändert keine Einstellung.</translation>
        </message>
        <message>
            <location filename="../views/classroomguide.cpp" line="82" />
            <source>Start: open the demo model</source>
            <translation>Start: Demo-Modell öffnen</translation>
        </message>
        <message>
            <location filename="../views/classroomguide.cpp" line="85" />
            <source>1. The GQA model</source>
            <translation>1. Das GQA-Modell</translation>
        </message>
        <message>
            <location filename="../views/classroomguide.cpp" line="93" />
            <source>2. Exact MLA</source>
            <translation>2. Exakte MLA</translation>
        </message>
        <message>
            <location filename="../views/classroomguide.cpp" line="94" />
            <source>All KV heads are merged into one latent with RoPE kept on every key dimension: the same cache and the same logits. The &lt;b&gt;Attention&lt;/b&gt; tab shows before, after and their difference: its largest value (in the line above the maps) is float rounding, around 10&lt;sup&gt;-7&lt;/sup&gt;, not a change of the model; the colours of the difference map only show that noise, on its own tiny scale.</source>
            <translation>Alle KV-Köpfe werden zu einem Latent zusammengeführt, RoPE bleibt auf jeder Key-Dimension: derselbe Cache und dieselben Logits. Der Reiter &lt;b&gt;Attention&lt;/b&gt; zeigt vorher, nachher und die Differenz: ihr größter Wert (in der Zeile über den Karten) ist Gleitkomma-Rundung, etwa 10&lt;sup&gt;-7&lt;/sup&gt;, keine Änderung des Modells; die Farben der Differenzkarte zeigen nur dieses Rauschen, auf einer eigenen, winzigen Skala.</translation>
        </message>
        <message>
            <location filename="../views/classroomguide.cpp" line="99" />
            <source>Next sets &lt;b&gt;Exact merge&lt;/b&gt; off, &lt;b&gt;kv_lora_rank&lt;/b&gt; to a quarter of the maximum and the calibration to 32 samples of 128 tokens, then runs the conversion.</source>
            <translation>Weiter schaltet &lt;b&gt;Exakte Zusammenführung&lt;/b&gt; aus, setzt &lt;b&gt;kv_lora_rank&lt;/b&gt; auf ein Viertel des Maximums und die Kalibrierung auf 32 Beispiele zu 128 Tokens und startet die Konvertierung.</translation>
        </message>
        <message>
            <location filename="../views/classroomguide.cpp" line="104" />
            <source>3. Compressed MLA</source>
            <translation>3. Komprimierte MLA</translation>
        </message>
        <message>
            <location filename="../views/classroomguide.cpp" line="115" />
            <source>This step changed:</source>
            <translation>Dieser Schritt hat geändert:</translation>
        </message>
        <message>
            <location filename="../views/classroomguide.cpp" line="86" />
            <source>The &lt;b&gt;KV budget&lt;/b&gt; tab shows what every token costs in the cache: K and V for each KV head in every layer. The &lt;b&gt;Model&lt;/b&gt; tab lists the tensors.</source>
            <translation>Der Reiter &lt;b&gt;KV-Budget&lt;/b&gt; zeigt, was jedes Token im Cache kostet: K und V für jeden KV-Kopf in jeder Schicht. Der Reiter &lt;b&gt;Modell&lt;/b&gt; listet die Tensoren.</translation>
        </message>
        <message>
            <location filename="../views/classroomguide.cpp" line="89" />
            <source>Next sets &lt;b&gt;Exact merge&lt;/b&gt; on and &lt;b&gt;GSM8K problems&lt;/b&gt; to 20, then runs the conversion.</source>
            <translation>Weiter schaltet &lt;b&gt;Exakte Zusammenführung&lt;/b&gt; ein, setzt &lt;b&gt;GSM8K-Aufgaben&lt;/b&gt; auf 20 und startet die Konvertierung.</translation>
        </message>
        <message>
            <location filename="../views/classroomguide.cpp" line="90" />
            <source>Next: exact MLA</source>
            <translation>Weiter: exaktes MLA</translation>
        </message>
        <message>
            <location filename="../views/classroomguide.cpp" line="101" />
            <source>Next: compress</source>
            <translation>Weiter: komprimieren</translation>
        </message>
        <message>
            <location filename="../views/classroomguide.cpp" line="105" />
            <source>RoRoPE concentrates the position information in a few dimensions, PCA keeps the strongest latent directions. The &lt;b&gt;Spectrum&lt;/b&gt; tab shows what the rank keeps, &lt;b&gt;Loss&lt;/b&gt; what it costs. Move the kv_lora_rank slider and run again.</source>
            <translation>RoRoPE bündelt die Positionsinformation in wenigen Dimensionen, die PCA behält die stärksten Latent-Richtungen. Der Reiter &lt;b&gt;Spektrum&lt;/b&gt; zeigt, was der Rang behält, &lt;b&gt;Loss&lt;/b&gt;, was er kostet. Verschieben Sie den kv_lora_rank-Regler und starten Sie erneut.</translation>
        </message>
        <message>
            <location filename="../views/classroomguide.cpp" line="108" />
            <source>Start over changes no setting.</source>
            <translation>Neu beginnen ändert keine Einstellung.</translation>
        </message>
        <message>
            <location filename="../views/classroomguide.cpp" line="109" />
            <source>Start over</source>
            <translation>Von vorn beginnen</translation>
        </message>
    </context>
    <context>
        <name>transmla::views::ConversionPanel</name>
        <message>
            <location filename="../views/conversionpanel.cpp" line="51" />
            <source>&amp;Run</source>
            <translation>&amp;Ausführen</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="51" />
            <source>Cancel</source>
            <translation>Abbrechen</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="52" />
            <source>E&amp;xport...</source>
            <translation>E&amp;xportieren...</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="75" />
            <source>Compressed MLA (RoRoPE + FreqFold + PCA)</source>
            <translation>Komprimiertes MLA (RoRoPE + FreqFold + PCA)</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="76" />
            <source>Exact MLA (same cache, same logits)</source>
            <translation>Exaktes MLA (gleicher Cache, gleiche Logits)</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="83" />
            <source>auto</source>
            <translation>auto</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="84" />
            <source>GSM8K (train)</source>
            <translation>GSM8K (Training)</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="77" />
            <source>qk_rope_head_dim: key dimensions that keep RoPE (even, at most head_dim)</source>
            <translation>qk_rope_head_dim: Schlüsseldimensionen, die RoPE behalten (gerade, höchstens head_dim)</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="85" />
            <source>WikiText-2 (validation)</source>
            <translation>WikiText-2 (Validierung)</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="86" />
            <source>Text file...</source>
            <translation>Textdatei...</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="89" />
            <source>a .txt (paragraphs) or .jsonl file</source>
            <translation>eine .txt- (Absätze) oder .jsonl-Datei</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="91" />
            <source>Browse...</source>
            <translation>Durchsuchen...</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="97" />
            <source>none (exact algebra)</source>
            <translation>keine (exakte Algebra)</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="98" />
            <source>calibrated (DeepSeek kv_a_layernorm, needed for export)</source>
            <translation>kalibriert (DeepSeek kv_a_layernorm, für den Export nötig)</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="106" />
            <source>Q/K norm:</source>
            <translation>Q/K-Norm:</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="107" />
            <source>Fold (approximation, exportable)</source>
            <translation>Falten (Näherung, exportierbar)</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="109" />
            <source>Qwen3 and Gemma-3 normalise every query and key head per token, which DeepSeek-V3 cannot express. Ticked: each head's norm is folded into the projections as a constant fitted on the calibration text, so the model can be exported, at the loss shown after the run. Unticked: the exact form, evaluated here only.</source>
            <translation>Qwen3 und Gemma-3 normalisieren jeden Query- und Key-Kopf pro Token, was DeepSeek-V3 nicht ausdrücken kann. Angehakt: Die Norm jedes Kopfes wird als auf dem Kalibrierungstext angepasste Konstante in die Projektionen gefaltet, sodass das Modell exportiert werden kann, zu dem nach dem Lauf angezeigten Verlust. Nicht angehakt: die exakte Form, nur hier ausgewertet.</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="113" />
            <source>Evaluate GSM8K loss before and after</source>
            <translation>GSM8K-Loss vorher und nachher auswerten</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="117" />
            <source> problems</source>
            <translation> Aufgaben</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="119" />
            <source>Settings changed since the run: the results shown are stale. Run again to update them.</source>
            <translation>Die Einstellungen wurden seit dem Lauf geändert: Die angezeigten Ergebnisse sind veraltet. Erneut ausführen, um sie zu aktualisieren.</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="141" />
            <source>Mode:</source>
            <translation>Modus:</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="142" />
            <source>kv_lora_rank:</source>
            <translation>kv_lora_rank:</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="143" />
            <source>qk_rope_head_dim:</source>
            <translation>qk_rope_head_dim:</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="144" />
            <source>FreqFold:</source>
            <translation>FreqFold:</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="145" />
            <source>Calibration (samples × tokens):</source>
            <translation>Kalibrierung (Sequenzen × Token):</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="147" />
            <source>Device:</source>
            <translation>Gerät:</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="148" />
            <source>Latent norm:</source>
            <translation>Latent-Norm:</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="154" />
            <source>KV cache:</source>
            <translation>KV-Cache:</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="175" />
            <source>&lt;b&gt;Per layer&lt;/b&gt;</source>
            <translation>&lt;b&gt;Pro Schicht&lt;/b&gt;</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="236" />
            <source>Calibration text</source>
            <translation>Kalibrierungstext</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="237" />
            <source>Text (*.txt *.jsonl);;All files (*)</source>
            <translation>Text (*.txt *.jsonl);;Alle Dateien (*)</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="251" />
            <source>Choose a calibration text file (Calibration: Text file...).</source>
            <translation>Wählen Sie eine Kalibrierungs-Textdatei (Kalibrierung: Textdatei...).</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="257" />
            <source>The calibration text %1 does not exist.</source>
            <translation>Der Kalibrierungstext %1 existiert nicht.</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="258" />
            <source>The calibration text %1 is not a file.</source>
            <translation>Der Kalibrierungstext %1 ist keine Datei.</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="259" />
            <source>The calibration text %1 cannot be read.</source>
            <translation>Der Kalibrierungstext %1 kann nicht gelesen werden.</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="260" />
            <source>The calibration text %1 is empty.</source>
            <translation>Der Kalibrierungstext %1 ist leer.</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="268" />
            <source>This model family has no DeepSeek-V3 equivalent (Gemma-2 sandwich norms and soft-capping, Mixtral experts): the converted model can be evaluated here but not exported.</source>
            <translation>Diese Modellfamilie hat keine DeepSeek-V3-Entsprechung (Gemma-2: Sandwich-Normen und Soft-Capping, Mixtral: Experten): Das konvertierte Modell kann hier ausgewertet, aber nicht exportiert werden.</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="271" />
            <source>The model's query projection has a bias, which DeepSeek-V3 cannot hold: the converted model can be evaluated here but not exported.</source>
            <translation>Die Query-Projektion des Modells hat einen Bias, den DeepSeek-V3 nicht abbilden kann: Das konvertierte Modell kann hier ausgewertet, aber nicht exportiert werden.</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="275" />
            <source>Not exportable: the exact form keeps the per-head query/key norms, which DeepSeek-V3 cannot express. Tick "Fold" (Q/K norm) to convert and export the approximation.</source>
            <translation>Nicht exportierbar: Die exakte Form behält die Query/Key-Normen pro Kopf, die DeepSeek-V3 nicht ausdrücken kann. Haken Sie "Falten" (Q/K-Norm) an, um die Näherung zu konvertieren und zu exportieren.</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="278" />
            <source>Not exportable: DeepSeek-V3 always normalises the latent (kv_a_layernorm). With "none" the losses shown are those of a model that exists only in this workbench; choose "calibrated" to evaluate what gets exported.</source>
            <translation>Nicht exportierbar: DeepSeek-V3 normalisiert den Latent immer (kv_a_layernorm). Mit "none" gehören die angezeigten Verluste zu einem Modell, das es nur in dieser Workbench gibt; wählen Sie "calibrated", um auszuwerten, was exportiert wird.</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="293" />
            <source>Exportable as DeepSeek-V3, as an approximation (q/k norms folded): the losses shown are those of the exported approximation.</source>
            <translation>Als DeepSeek-V3 exportierbar, als Näherung (Q/K-Normen gefaltet): Die angezeigten Verluste sind die der exportierten Näherung.</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="297" />
            <source>Exportable as DeepSeek-V3: the losses shown are those of the exported model.</source>
            <translation>Als DeepSeek-V3 exportierbar: Die angezeigten Verluste sind die des exportierten Modells.</translation>
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
            <translation>Öffnen Sie zuerst ein Modell</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="356" />
            <source>%1 -&gt; %2 per token (%3% of GQA, bf16)</source>
            <translation>%1 -&gt; %2 pro Token (%3% von GQA, bf16)</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="382" />
            <source>FreqFold</source>
            <translation>FreqFold</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="383" />
            <source>Latent norm</source>
            <translation>Latente Norm</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="384" />
            <source>Q/K norm fold</source>
            <translation>Q/K-Norm-Faltung</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="385" />
            <source>Calibration samples</source>
            <translation>Kalibrierungsbeispiele</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="386" />
            <source>Calibration tokens per sample</source>
            <translation>Kalibrierungs-Tokens pro Beispiel</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="387" />
            <source>Model</source>
            <translation>Modell</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="397" />
            <source>%1: %2</source>
            <translation>%1: %2</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="494" />
            <source>starting...</source>
            <translation>wird gestartet...</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="501" />
            <location filename="../views/conversionpanel.cpp" line="502" />
            <source>Cancelling...</source>
            <translation>Wird abgebrochen...</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="509" />
            <source>%1: %2 of %3</source>
            <translation>%1: %2 von %3</translation>
        </message>
        <message>
            <location filename="../views/conversionpanel.cpp" line="518" />
            <source>Finished</source>
            <translation>Fertig</translation>
        </message>
    </context>
    <context>
        <name>transmla::views::HealView</name>
        <message>
            <location filename="../views/healview.cpp" line="21" />
            <source>Heal</source>
            <translation>Heilen</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="21" />
            <source>Cancel</source>
            <translation>Abbrechen</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="22" />
            <source>Healing</source>
            <translation>Heilung</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="24" />
            <source>local (per layer)</source>
            <translation>lokal (pro Schicht)</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="25" />
            <source>end-to-end (KL)</source>
            <translation>Ende-zu-Ende (KL)</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="26" />
            <source>both</source>
            <translation>beides</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="29" />
            <location filename="../views/healview.cpp" line="35" />
            <source>default</source>
            <translation>Standard</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="30" />
            <source>Adam steps per layer (local) or in all (end-to-end)</source>
            <translation>Adam-Schritte pro Schicht (lokal) oder insgesamt (Ende-zu-Ende)</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="37" />
            <source>GSM8K train</source>
            <translation>GSM8K-Training</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="38" />
            <source>WikiText-2</source>
            <translation>WikiText-2</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="39" />
            <source>File</source>
            <translation>Datei</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="41" />
            <source>training text (.txt or .jsonl)</source>
            <translation>Trainingstext (.txt oder .jsonl)</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="46" />
            <source>Training sequences of 128 tokens (1/8 held out for the figures)</source>
            <translation>Trainingssequenzen zu 128 Token (1/8 für die Kennzahlen zurückgehalten)</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="51" />
            <source>Mode:</source>
            <translation>Modus:</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="53" />
            <source>Steps:</source>
            <translation>Schritte:</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="55" />
            <source>LR:</source>
            <translation>LR:</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="65" />
            <source>Text:</source>
            <translation>Text:</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="57" />
            <source>Sequences:</source>
            <translation>Sequenzen:</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="76" />
            <source>training step</source>
            <translation>Trainingsschritt</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="77" />
            <source>local: relative attention-output error</source>
            <translation>lokal: relativer Fehler der Attention-Ausgabe</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="78" />
            <source>end-to-end: KL per token</source>
            <translation>Ende-zu-Ende: KL pro Token</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="114" />
            <source>Ready: Heal trains the converted model's new attention weights towards the original (choose the mode and steps, then press Heal).</source>
            <translation>Bereit: Heilen trainiert die neuen Attention-Gewichte des konvertierten Modells in Richtung des Originals (Modus und Schritte wählen, dann Heilen drücken).</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="118" />
            <source>Convert a model first; healing then trains its new attention weights towards the original.</source>
            <translation>Zuerst ein Modell konvertieren; die Heilung trainiert dann seine neuen Attention-Gewichte zum Original hin.</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="133" />
            <source>Healing (%1): step %2 of %3, loss %4</source>
            <translation>Heilung (%1): Schritt %2 von %3, Verlust %4</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="148" />
            <source>Cancelling... the unhealed conversion stays as it was</source>
            <translation>Wird abgebrochen ... die ungeheilte Konvertierung bleibt unverändert</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="153" />
            <source>Healing stopped: %1 (the unhealed conversion is kept)</source>
            <translation>Heilung beendet: %1 (die ungeheilte Konvertierung bleibt erhalten)</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="159" />
            <source>%1: %2 steps, held-out %3 -&gt; %4 (%5 s)</source>
            <translation>%1: %2 Schritte, zurückgehalten %3 -&gt; %4 (%5 s)</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="166" />
            <source>GSM8K loss: converted %1 -&gt; healed %2</source>
            <translation>GSM8K-Verlust: konvertiert %1 -&gt; geheilt %2</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="169" />
            <source>The loss view, the attention maps and the export now use the healed model.</source>
            <translation>Verlustansicht, Attention-Karten und Export verwenden jetzt das geheilte Modell.</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="200" />
            <source>local</source>
            <translation>lokal</translation>
        </message>
        <message>
            <location filename="../views/healview.cpp" line="201" />
            <source>end-to-end</source>
            <translation>Ende-zu-Ende</translation>
        </message>
    </context>
    <context>
        <name>transmla::views::JobRunner</name>
        <message>
            <location filename="../views/jobrunner.h" line="28" />
            <source>Cancelled</source>
            <translation>Abgebrochen</translation>
        </message>
        <message>
            <location filename="../views/jobrunner.h" line="74" />
            <source>unexpected error</source>
            <translation>unerwarteter Fehler</translation>
        </message>
    </context>
    <context>
        <name>transmla::views::LayerReportModel</name>
        <message>
            <location filename="../views/tablemodels.cpp" line="122" />
            <source>Layer</source>
            <translation>Schicht</translation>
        </message>
        <message>
            <location filename="../views/tablemodels.cpp" line="124" />
            <source>kv_lora_rank</source>
            <translation>kv_lora_rank</translation>
        </message>
        <message>
            <location filename="../views/tablemodels.cpp" line="126" />
            <source>Energy kept</source>
            <translation>Erhaltene Energie</translation>
        </message>
        <message>
            <location filename="../views/tablemodels.cpp" line="128" />
            <source>RoPE energy</source>
            <translation>RoPE-Energie</translation>
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
            <translation>Rang-Durchlauf</translation>
        </message>
        <message>
            <location filename="../views/lossview.cpp" line="23" />
            <source>GSM8K loss</source>
            <translation>GSM8K-Loss</translation>
        </message>
        <message>
            <location filename="../views/lossview.cpp" line="25" />
            <source>Convert at several kv_lora_rank values and evaluate each (loss vs KV cache size)</source>
            <translation>Bei mehreren kv_lora_rank-Werten konvertieren und jeweils auswerten (Loss gegen KV-Cache-Größe)</translation>
        </message>
        <message>
            <location filename="../views/lossview.cpp" line="35" />
            <source>mean NLL per problem, GQA (nats/token)</source>
            <translation>mittlere NLL pro Aufgabe, GQA (nats/Token)</translation>
        </message>
        <message>
            <location filename="../views/lossview.cpp" line="36" />
            <source>mean NLL per problem, MLA</source>
            <translation>mittlere NLL pro Aufgabe, MLA</translation>
        </message>
        <message>
            <location filename="../views/lossview.cpp" line="37" />
            <source>KV cache per token (bytes, bf16)</source>
            <translation>KV-Cache pro Token (Bytes, bf16)</translation>
        </message>
        <message>
            <location filename="../views/lossview.cpp" line="38" />
            <source>GSM8K mean NLL (nats/token)</source>
            <translation>GSM8K mittlere NLL (nats/Token)</translation>
        </message>
        <message>
            <location filename="../views/lossview.cpp" line="75" />
            <source>95% intervals (bootstrap over problems): GQA %1, MLA %2; MLA - GQA %3 %4 (paired)</source>
            <translation>95-%-Intervalle (Bootstrap über Aufgaben): GQA %1, MLA %2; MLA - GQA %3 %4 (gepaart)</translation>
        </message>
        <message>
            <location filename="../views/lossview.cpp" line="77" />
            <source>Answer tokens only (after "Answer:"): %1 %2 -&gt; %3 %4; MLA - GQA %5 %6</source>
            <translation>Nur Antwort-Tokens (nach "Answer:"): %1 %2 -&gt; %3 %4; MLA - GQA %5 %6</translation>
        </message>
        <message>
            <location filename="../views/lossview.cpp" line="82" />
            <source>WikiText-2 test perplexity over %1 tokens: %2 -&gt; %3</source>
            <translation>WikiText-2-Test-Perplexität über %1 Tokens: %2 -&gt; %3</translation>
        </message>
        <message>
            <location filename="../views/lossview.cpp" line="165" />
            <source> GQA (original)</source>
            <translation> GQA (Original)</translation>
        </message>
        <message>
            <location filename="../views/lossview.cpp" line="178" />
            <source>  this conversion</source>
            <translation>  diese Konvertierung</translation>
        </message>
        <message>
            <location filename="../views/lossview.cpp" line="186" />
            <source>GSM8K mean NLL over %1 problems: %2 (GQA) -&gt; %3 (MLA), perplexity %4 -&gt; %5</source>
            <translation>GSM8K mittlere NLL über %1 Aufgaben: %2 (GQA) -&gt; %3 (MLA), Perplexität %4 -&gt; %5</translation>
        </message>
        <message>
            <location filename="../views/lossview.cpp" line="197" />
            <source>Where the loss comes from: RoPE removal %1, rank truncation %2 (full-rank model %3)</source>
            <translation>Woher der Verlust kommt: RoPE-Entfernung %1, Rangkürzung %2 (Modell mit vollem Rang %3)</translation>
        </message>
        <message>
            <location filename="../views/lossview.cpp" line="203" />
            <source>Run a conversion with GSM8K evaluation to compare losses</source>
            <translation>Starten Sie eine Konvertierung mit GSM8K-Auswertung, um die Losses zu vergleichen</translation>
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
            <translation>&lt;b&gt;Architektur&lt;/b&gt;</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="106" />
            <source>Model</source>
            <translation>Modell</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="130" />
            <source>Open a model folder (File &gt; Open model folder)</source>
            <translation>Öffnen Sie einen Modellordner (Datei &gt; Modellordner öffnen)</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="226" />
            <source>&amp;File</source>
            <translation>&amp;Datei</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="227" />
            <source>&amp;Open model folder...</source>
            <translation>Modellordner ö&amp;ffnen...</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="232" />
            <source>Open &amp;session...</source>
            <translation>&amp;Sitzung öffnen...</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="235" />
            <source>&amp;Save session...</source>
            <translation>Sitzung &amp;speichern...</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="76" />
            <location filename="../views/mainwindow.cpp" line="441" />
            <location filename="../views/mainwindow.cpp" line="451" />
            <location filename="../views/mainwindow.cpp" line="458" />
            <location filename="../views/mainwindow.cpp" line="466" />
            <source>Conversion</source>
            <translation>Konvertierung</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="77" />
            <source>Classroom</source>
            <translation>Unterricht</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="101" />
            <source>&lt;b&gt;Tensors&lt;/b&gt;</source>
            <translation>&lt;b&gt;Tensoren&lt;/b&gt;</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="107" />
            <source>Spectrum</source>
            <translation>Spektrum</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="108" />
            <source>KV budget</source>
            <translation>KV-Budget</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="109" />
            <location filename="../views/mainwindow.cpp" line="558" />
            <source>Attention</source>
            <translation>Attention</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="110" />
            <source>Loss</source>
            <translation>Loss</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="133" />
            <source>Results are stale (settings changed)</source>
            <translation>Ergebnisse veraltet (Einstellungen geändert)</translation>
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
            <translation>Wird abgebrochen...</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="162" />
            <source>%1 is running: wait for it or cancel it before %2</source>
            <translation>%1 läuft: warten oder abbrechen vor %2</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="212" />
            <source>Closing the window</source>
            <translation>Das Schließen des Fensters</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="229" />
            <source>Open &amp;recent</source>
            <translation>&amp;Zuletzt geöffnet</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="239" />
            <source>Export current &amp;plot...</source>
            <translation>Aktuelles &amp;Diagramm exportieren...</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="241" />
            <source>E&amp;xport converted model (DeepSeek-V3)...</source>
            <translation>Konvertiertes Modell e&amp;xportieren (DeepSeek-V3)...</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="243" />
            <source>Export for vLLM / SGLang &amp;serving...</source>
            <translation>Für vLLM / SGLang-&amp;Serving exportieren...</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="247" />
            <source>Re&amp;port...</source>
            <translation>&amp;Bericht...</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="250" />
            <source>&amp;Quit</source>
            <translation>&amp;Beenden</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="253" />
            <source>&amp;View</source>
            <translation>&amp;Ansicht</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="254" />
            <source>&amp;Model</source>
            <translation>&amp;Modell</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="254" />
            <source>&amp;Spectrum</source>
            <translation>&amp;Spektrum</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="254" />
            <source>KV &amp;budget</source>
            <translation>KV-&amp;Budget</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="254" />
            <source>&amp;Attention</source>
            <translation>&amp;Attention</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="254" />
            <source>&amp;Loss</source>
            <translation>&amp;Loss</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="265" />
            <source>&amp;Classroom mode</source>
            <translation>&amp;Unterrichtsmodus</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="271" />
            <source>&amp;Run</source>
            <translation>&amp;Ausführen</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="273" />
            <source>&amp;Convert</source>
            <translation>&amp;Konvertieren</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="276" />
            <source>C&amp;ancel</source>
            <translation>A&amp;bbrechen</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="279" />
            <source>Rank &amp;sweep</source>
            <translation>Rang-&amp;Durchlauf</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="284" />
            <source>&amp;Help</source>
            <translation>&amp;Hilfe</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="285" />
            <source>&amp;About</source>
            <translation>Ü&amp;ber</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="340" />
            <source>Open a Hugging Face model folder</source>
            <translation>Hugging-Face-Modellordner öffnen</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="346" />
            <location filename="../views/mainwindow.cpp" line="350" />
            <source>Opening a model</source>
            <translation>Das Öffnen eines Modells</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="353" />
            <source>Reading model</source>
            <translation>Modell wird gelesen</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="368" />
            <source>Reading %1 ...</source>
            <translation>Lese %1 ...</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="386" />
            <source>TransMLA Workbench - %1</source>
            <translation>TransMLA Workbench - %1</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="387" />
            <source>%1: %2 layers, %3 query / %4 KV heads</source>
            <translation>%1: %2 Schichten, %3 Query- / %4 KV-Köpfe</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="398" />
            <source>Could not open %1</source>
            <translation>%1 konnte nicht geöffnet werden</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="399" />
            <source>Cannot open model</source>
            <translation>Modell kann nicht geöffnet werden</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="400" />
            <source>The folder could not be read as a Hugging Face model:</source>
            <translation>Der Ordner konnte nicht als Hugging-Face-Modell gelesen werden:</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="403" />
            <source>A model folder needs config.json, the *.safetensors weights (with model.safetensors.index.json when sharded) and tokenizer.json.

%1</source>
            <translation>Ein Modellordner braucht config.json, die *.safetensors-Gewichte (bei Aufteilung mit model.safetensors.index.json) und tokenizer.json.

%1</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="461" />
            <source>A new conversion</source>
            <translation>Eine neue Konvertierung</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="521" />
            <source>Export for vLLM / SGLang serving (bf16, kv_lora_rank 512 + RoPE 64)</source>
            <translation>Für vLLM / SGLang-Serving exportieren (bf16, kv_lora_rank 512 + RoPE 64)</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="522" />
            <source>Export a DeepSeek-V3 model folder</source>
            <translation>DeepSeek-V3-Modellordner exportieren</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="533" />
            <source>Export</source>
            <translation>Export</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="547" />
            <source>Exported %1</source>
            <translation>%1 exportiert</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="578" />
            <location filename="../views/mainwindow.cpp" line="612" />
            <source>Rank sweep</source>
            <translation>Rang-Durchlauf</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="598" />
            <source>A new rank sweep</source>
            <translation>Ein neuer Rang-Durchlauf</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="636" />
            <location filename="../views/mainwindow.cpp" line="639" />
            <source>%1 finished</source>
            <translation>%1: abgeschlossen</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="642" />
            <location filename="../views/mainwindow.cpp" line="643" />
            <source>%1: %2</source>
            <translation>%1: %2</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="646" />
            <source>%1 failed</source>
            <translation>%1 fehlgeschlagen</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="705" />
            <source>KV cache %1 -&gt; %2 bytes/token, max rank %3, FreqFold %4, %5 s</source>
            <translation>KV-Cache %1 -&gt; %2 Bytes/Token, maximaler Rang %3, FreqFold %4, %5 s</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="716" />
            <source>Saved session %1</source>
            <translation>Sitzung %1 gespeichert</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="720" />
            <source>Cannot save session</source>
            <translation>Sitzung kann nicht gespeichert werden</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="727" />
            <location filename="../views/mainwindow.cpp" line="730" />
            <source>Opening a session</source>
            <translation>Das Öffnen einer Sitzung</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="736" />
            <source>Opened session %1</source>
            <translation>Sitzung %1 geöffnet</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="739" />
            <source>Cannot open session</source>
            <translation>Sitzung kann nicht geöffnet werden</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="746" />
            <source>Open session</source>
            <translation>Sitzung öffnen</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="746" />
            <location filename="../views/mainwindow.cpp" line="751" />
            <source>Sessions (*.h5)</source>
            <translation>Sitzungen (*.h5)</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="751" />
            <source>Save session</source>
            <translation>Sitzung speichern</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="765" />
            <source>Choose a plot tab first</source>
            <translation>Wählen Sie zuerst einen Diagramm-Reiter</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="776" />
            <source>Write a report folder (report.md + plots)</source>
            <translation>Berichtsordner schreiben (report.md + Diagramme)</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="780" />
            <source>Cannot write the report</source>
            <translation>Der Bericht kann nicht geschrieben werden</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="784" />
            <source>Run a conversion (or open a session) first: there is nothing to report.</source>
            <translation>Führen Sie zuerst eine Konvertierung aus (oder öffnen Sie eine Sitzung): Es gibt nichts zu berichten.</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="786" />
            <source>Singular value spectra</source>
            <translation>Singulärwertspektren</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="787" />
            <source>KV cache budget</source>
            <translation>KV-Cache-Budget</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="788" />
            <source>Attention maps</source>
            <translation>Attention-Karten</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="789" />
            <source>GSM8K loss</source>
            <translation>GSM8K-Verlust</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="790" />
            <source>Wrote the report %1</source>
            <translation>Bericht %1 geschrieben</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="854" />
            <source>About TransMLA Workbench</source>
            <translation>Über TransMLA Workbench</translation>
        </message>
        <message>
            <location filename="../views/mainwindow.cpp" line="855" />
            <source>&lt;b&gt;TransMLA Workbench&lt;/b&gt; %1&lt;br&gt;Converts GQA language models to Multi-head Latent Attention (TransMLA) and shows what the conversion did.</source>
            <translation>&lt;b&gt;TransMLA Workbench&lt;/b&gt; %1&lt;br&gt;Konvertiert GQA-Sprachmodelle in Multi-head Latent Attention (TransMLA) und zeigt, was die Konvertierung bewirkt hat.</translation>
        </message>
        <message>
            <location filename="../views/mainwindow_quality.cpp" line="22" />
            <source>Heal</source>
            <translation>Heilen</translation>
        </message>
        <message>
            <location filename="../views/mainwindow_quality.cpp" line="23" />
            <source>Pareto</source>
            <translation>Pareto</translation>
        </message>
        <message>
            <location filename="../views/mainwindow_quality.cpp" line="41" />
            <source>Applied r_R %1, FreqFold %2 to the conversion settings</source>
            <translation>r_R %1, FreqFold %2 in die Konvertierungseinstellungen übernommen</translation>
        </message>
        <message>
            <location filename="../views/mainwindow_quality.cpp" line="43" />
            <location filename="../views/mainwindow_quality.cpp" line="84" />
            <location filename="../views/mainwindow_quality.cpp" line="104" />
            <source>Healing</source>
            <translation>Heilung</translation>
        </message>
        <message>
            <location filename="../views/mainwindow_quality.cpp" line="72" />
            <source>Healing is possible once the running job (%1) has finished.</source>
            <translation>Heilen ist möglich, sobald der laufende Auftrag (%1) beendet ist.</translation>
        </message>
        <message>
            <location filename="../views/mainwindow_quality.cpp" line="74" />
            <source>A reopened session holds no model in memory: run the conversion again to heal it.</source>
            <translation>Eine wieder geöffnete Sitzung hält kein Modell im Speicher: Konvertierung erneut ausführen, um es zu heilen.</translation>
        </message>
        <message>
            <location filename="../views/mainwindow_quality.cpp" line="76" />
            <source>The exact conversion loses nothing: there is nothing to heal.</source>
            <translation>Die exakte Konvertierung verliert nichts: Es gibt nichts zu heilen.</translation>
        </message>
        <message>
            <location filename="../views/mainwindow_quality.cpp" line="131" />
            <location filename="../views/mainwindow_quality.cpp" line="139" />
            <location filename="../views/mainwindow_quality.cpp" line="155" />
            <source>Pareto search</source>
            <translation>Pareto-Suche</translation>
        </message>
        <message>
            <location filename="../views/mainwindow_quality.cpp" line="168" />
            <location filename="../views/mainwindow_quality.cpp" line="184" />
            <source>Choosing r_R and FreqFold</source>
            <translation>r_R und FreqFold werden gewählt</translation>
        </message>
        <message>
            <location filename="../views/mainwindow_quality.cpp" line="173" />
            <source>The exact merge has no r_R or FreqFold to choose</source>
            <translation>Die exakte Zusammenführung hat kein r_R oder FreqFold zur Wahl</translation>
        </message>
        <message>
            <location filename="../views/mainwindow_speed.cpp" line="23" />
            <source>Speed</source>
            <translation>Geschwindigkeit</translation>
        </message>
        <message>
            <location filename="../views/mainwindow_speed.cpp" line="30" />
            <location filename="../views/mainwindow_speed.cpp" line="60" />
            <source>Measuring decoding speed</source>
            <translation>Dekodiergeschwindigkeit wird gemessen</translation>
        </message>
        <message>
            <location filename="../views/mainwindow_speed.cpp" line="72" />
            <source>context %1 x batch %2 needs %3 GiB (GQA cache %4 GiB, MLA cache %5 GiB, prefill %6 GiB), %7 GiB are free: choose a shorter context or a smaller batch</source>
            <translation>Kontext %1 x Batch %2 braucht %3 GiB (GQA-Cache %4 GiB, MLA-Cache %5 GiB, Prefill %6 GiB), frei sind %7 GiB: Wählen Sie einen kürzeren Kontext oder einen kleineren Batch</translation>
        </message>
    </context>
    <context>
        <name>transmla::views::MemoryStatus</name>
        <message>
            <location filename="../views/memorystatus.cpp" line="14" />
            <source>host memory</source>
            <translation>Hauptspeicher</translation>
        </message>
        <message>
            <location filename="../views/memorystatus.cpp" line="14" />
            <source>GPU memory</source>
            <translation>GPU-Speicher</translation>
        </message>
        <message>
            <location filename="../views/memorystatus.cpp" line="36" />
            <source>%1: %2 / %3 GiB free</source>
            <translation>%1: %2 / %3 GiB frei</translation>
        </message>
        <message>
            <location filename="../views/memorystatus.cpp" line="39" />
            <source>, needs %1 + %2 GiB</source>
            <translation>, Bedarf %1 + %2 GiB</translation>
        </message>
        <message>
            <location filename="../views/memorystatus.cpp" line="47" />
            <source>Free memory of the chosen device, and what the open model (weights in the chosen precision) and its conversion (calibration, cached bases, evaluation) will need there</source>
            <translation>Freier Speicher des gewählten Geräts und was das geöffnete Modell (Gewichte in der gewählten Genauigkeit) und seine Konvertierung (Kalibrierung, zwischengespeicherte Basen, Auswertung) dort brauchen werden</translation>
        </message>
        <message>
            <location filename="../views/memorystatus.cpp" line="60" />
            <source>This model will not fit: it needs about %1 GiB of %2 (weights %3 GiB + conversion %4 GiB), and %5 GiB are free. Nothing was loaded.</source>
            <translation>Dieses Modell passt nicht: Es braucht etwa %1 GiB %2 (Gewichte %3 GiB + Konvertierung %4 GiB), frei sind %5 GiB. Es wurde nichts geladen.</translation>
        </message>
        <message>
            <location filename="../views/memorystatus.cpp" line="64" />
            <source>Alternatives:</source>
            <translation>Alternativen:</translation>
        </message>
        <message>
            <location filename="../views/memorystatus.cpp" line="67" />
            <source>bf16 instead of f32 (device list): about %1 GiB</source>
            <translation>bf16 statt f32 (Geräteliste): etwa %1 GiB</translation>
        </message>
        <message>
            <location filename="../views/memorystatus.cpp" line="69" />
            <source>the CPU: %1 GiB of host memory free</source>
            <translation>die CPU: %1 GiB Hauptspeicher frei</translation>
        </message>
        <message>
            <location filename="../views/memorystatus.cpp" line="72" />
            <source>the streamed conversion without evaluation, which holds about one layer (%1 GiB) on the device: transmla convert MODEL --kv-lora-rank R --device cuda --out DIR</source>
            <translation>die gestreamte Konvertierung ohne Auswertung, die etwa eine Schicht (%1 GiB) auf dem Gerät hält: transmla convert MODEL --kv-lora-rank R --device cuda --out DIR</translation>
        </message>
    </context>
    <context>
        <name>transmla::views::ParetoView</name>
        <message>
            <location filename="../views/paretoview.cpp" line="40" />
            <source>Search</source>
            <translation>Suchen</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="41" />
            <source>Choose r_R and FreqFold</source>
            <translation>r_R und FreqFold wählen</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="41" />
            <source>Apply choice</source>
            <translation>Wahl übernehmen</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="43" />
            <location filename="../views/paretoview.cpp" line="174" />
            <source>Pareto front</source>
            <translation>Pareto-Front</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="47" />
            <source>e.g. 16,32,full</source>
            <translation>z. B. 16,32,full</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="48" />
            <source>default</source>
            <translation>Standard</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="49" />
            <source>e.g. 1,2,4</source>
            <translation>z. B. 1,2,4</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="53" />
            <source>Held-out sequences of the calibration source (after the calibration's own; never the GSM8K test set)</source>
            <translation>Zurückgehaltene Sequenzen der Kalibrierquelle (nach denen der Kalibrierung; nie der GSM8K-Testsatz)</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="58" />
            <source>Compare every r_R and FreqFold at the panel's rank (equal KV bytes) on held-out text</source>
            <translation>Jedes r_R und FreqFold beim Rang des Panels (gleiche KV-Bytes) auf zurückgehaltenem Text vergleichen</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="61" />
            <source>Ranks:</source>
            <translation>Ränge:</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="63" />
            <source>r_R:</source>
            <translation>r_R:</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="65" />
            <source>FreqFold:</source>
            <translation>FreqFold:</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="67" />
            <source>Held-out:</source>
            <translation>Zurückgehalten:</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="89" />
            <source>KV cache per token (bytes, 16-bit)</source>
            <translation>KV-Cache pro Token (Bytes, 16 Bit)</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="90" />
            <source>held-out loss (mean NLL)</source>
            <translation>Verlust auf zurückgehaltenem Text (mittlere NLL)</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="115" />
            <source>Ranks</source>
            <translation>Ränge</translation>
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
            <translation>%1: kommagetrennte positive ganze Zahlen (Ränge auch „full“)</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="146" />
            <source>Search a grid of ranks, r_R and FreqFold for the held-out loss against the KV cache size, or let the held-out loss choose r_R and FreqFold at the panel's rank.</source>
            <translation>Ein Raster aus Rängen, r_R und FreqFold nach dem zurückgehaltenen Verlust gegen die KV-Cache-Größe durchsuchen oder r_R und FreqFold beim Rang des Panels vom zurückgehaltenen Verlust wählen lassen.</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="169" />
            <source>candidates</source>
            <translation>Kandidaten</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="179" />
            <source>original model</source>
            <translation>Originalmodell</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="187" />
            <source>r %1, r_R %2, FreqFold %3: %4</source>
            <translation>r %1, r_R %2, FreqFold %3: %4</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="194" />
            <source>chosen</source>
            <translation>gewählt</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="200" />
            <source>Chosen by held-out loss: %1</source>
            <translation>Nach zurückgehaltenem Verlust gewählt: %1</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="201" />
            <source>Lowest held-out loss: %1</source>
            <translation>Niedrigster zurückgehaltener Verlust: %1</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="204" />
            <source>r %1 / r_R %2 / FreqFold %3: %4 (%5 B)</source>
            <translation>r %1 / r_R %2 / FreqFold %3: %4 (%5 B)</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="210" />
            <source>r_R %1 / FreqFold %2: skipped (%3)</source>
            <translation>r_R %1 / FreqFold %2: übersprungen (%3)</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="214" />
            <source>Candidates: %1</source>
            <translation>Kandidaten: %1</translation>
        </message>
        <message>
            <location filename="../views/paretoview.cpp" line="215" />
            <source>Original model %1 on %2 held-out tokens; %3 s.</source>
            <translation>Originalmodell %1 auf %2 zurückgehaltenen Token; %3 s.</translation>
        </message>
    </context>
    <context>
        <name>transmla::views::PlotView</name>
        <message>
            <location filename="../views/plotview.cpp" line="34" />
            <source>Wheel: zoom, drag: pan, double-click: reset view</source>
            <translation>Mausrad: zoomen, ziehen: verschieben, Doppelklick: Ansicht zurücksetzen</translation>
        </message>
        <message>
            <location filename="../views/plotview.cpp" line="36" />
            <source>Reset view</source>
            <translation>Ansicht zurücksetzen</translation>
        </message>
        <message>
            <location filename="../views/plotview.cpp" line="39" />
            <source>Export plot (PNG, SVG, CSV)...</source>
            <translation>Diagramm exportieren (PNG, SVG, CSV)...</translation>
        </message>
        <message>
            <location filename="../views/plotview.cpp" line="183" />
            <source>x %1, y %2: %3</source>
            <translation>x %1, y %2: %3</translation>
        </message>
        <message>
            <location filename="../views/plotview.cpp" line="191" />
            <location filename="../views/plotview.cpp" line="204" />
            <source>%1x = %2, y = %3</source>
            <translation>%1x = %2, y = %3</translation>
        </message>
        <message>
            <location filename="../views/plotview.cpp" line="211" />
            <source>x = %1, y = %2</source>
            <translation>x = %1, y = %2</translation>
        </message>
        <message>
            <location filename="../views/plotview.cpp" line="236" />
            <source>Unknown export format '%1' (use .png, .svg or .csv)</source>
            <translation>Unbekanntes Exportformat '%1' (verwenden Sie .png, .svg oder .csv)</translation>
        </message>
        <message>
            <location filename="../views/plotview.cpp" line="239" />
            <location filename="../views/plotview.cpp" line="245" />
            <source>Could not write %1</source>
            <translation>%1 konnte nicht geschrieben werden</translation>
        </message>
        <message>
            <location filename="../views/plotview.cpp" line="263" />
            <source>Export plot</source>
            <translation>Diagramm exportieren</translation>
        </message>
        <message>
            <location filename="../views/plotview.cpp" line="263" />
            <source>PNG image (*.png);;SVG drawing (*.svg);;CSV data (*.csv)</source>
            <translation>PNG-Bild (*.png);;SVG-Zeichnung (*.svg);;CSV-Daten (*.csv)</translation>
        </message>
        <message>
            <location filename="../views/plotview.cpp" line="265" />
            <source>Export failed</source>
            <translation>Export fehlgeschlagen</translation>
        </message>
    </context>
    <context>
        <name>transmla::views::RankFollower</name>
        <message>
            <location filename="../views/rankfollower.h" line="27" />
            <source>Rank change</source>
            <translation>Rangänderung</translation>
        </message>
        <message>
            <location filename="../views/rankfollower.h" line="30" />
            <source>Details</source>
            <translation>Details</translation>
        </message>
    </context>
    <context>
        <name>transmla::views::SpectrumView</name>
        <message>
            <location filename="../views/spectrumview.cpp" line="24" />
            <source>Spectrum</source>
            <translation>Spektrum</translation>
        </message>
        <message>
            <location filename="../views/spectrumview.cpp" line="25" />
            <source>Latent (joint PCA of K_nope and V)</source>
            <translation>Latent (gemeinsame PCA von K_nope und V)</translation>
        </message>
        <message>
            <location filename="../views/spectrumview.cpp" line="25" />
            <source>K weights</source>
            <translation>K-Gewichte</translation>
        </message>
        <message>
            <location filename="../views/spectrumview.cpp" line="25" />
            <source>V weights</source>
            <translation>V-Gewichte</translation>
        </message>
        <message>
            <location filename="../views/spectrumview.cpp" line="26" />
            <source>Keys before RoPE</source>
            <translation>Keys vor RoPE</translation>
        </message>
        <message>
            <location filename="../views/spectrumview.cpp" line="26" />
            <source>Keys after RoPE</source>
            <translation>Keys nach RoPE</translation>
        </message>
        <message>
            <location filename="../views/spectrumview.cpp" line="26" />
            <source>Values</source>
            <translation>Values</translation>
        </message>
        <message>
            <location filename="../views/spectrumview.cpp" line="27" />
            <source>Spectrum:</source>
            <translation>Spektrum:</translation>
        </message>
        <message>
            <location filename="../views/spectrumview.cpp" line="29" />
            <source>Layer:</source>
            <translation>Schicht:</translation>
        </message>
        <message>
            <location filename="../views/spectrumview.cpp" line="31" />
            <source>KV head:</source>
            <translation>KV-Kopf:</translation>
        </message>
        <message>
            <location filename="../views/spectrumview.cpp" line="49" />
            <source>singular value</source>
            <translation>Singulärwert</translation>
        </message>
        <message>
            <location filename="../views/spectrumview.cpp" line="50" />
            <location filename="../views/spectrumview.cpp" line="61" />
            <source>cumulative energy</source>
            <translation>kumulative Energie</translation>
        </message>
        <message>
            <location filename="../views/spectrumview.cpp" line="58" />
            <source>singular value (log)</source>
            <translation>Singulärwert (log)</translation>
        </message>
        <message>
            <location filename="../views/spectrumview.cpp" line="62" />
            <source>index (rank)</source>
            <translation>Index (Rang)</translation>
        </message>
        <message>
            <location filename="../views/spectrumview.cpp" line="107" />
            <source>all</source>
            <translation>alle</translation>
        </message>
        <message>
            <location filename="../views/spectrumview.cpp" line="164" />
            <source>rank %1 keeps %2% of the energy</source>
            <translation>Rang %1 behält %2% der Energie</translation>
        </message>
        <message>
            <location filename="../views/spectrumview.cpp" line="167" />
            <source>Run a conversion to see spectra</source>
            <translation>Starten Sie eine Konvertierung, um Spektren zu sehen</translation>
        </message>
        <message>
            <location filename="../views/spectrumview.cpp" line="185" />
            <source>index %1: singular value %2, cumulative energy %3%</source>
            <translation>Index %1: Singulärwert %2, kumulative Energie %3%</translation>
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
            <translation>Kontext %1 x Batch %2, %3 gemessene Schritte auf %4 (%5); MLA r = %6, r_R = %7</translation>
        </message>
        <message>
            <location filename="../views/speedmodel.cpp" line="87" />
            <source>Allocated cache: context + 1 + steps positions per sequence</source>
            <translation>Belegter Cache: Kontext + 1 + Schritte Positionen je Sequenz</translation>
        </message>
        <message>
            <location filename="../views/speedmodel.cpp" line="89" />
            <source>Measured: allocated MLA cache / allocated GQA cache</source>
            <translation>Gemessen: belegter MLA-Cache / belegter GQA-Cache</translation>
        </message>
        <message>
            <location filename="../views/speedmodel.cpp" line="91" />
            <source>Analytic: MLA / GQA bytes per token from the KV budget formulas</source>
            <translation>Analytisch: MLA- / GQA-Bytes pro Token aus den KV-Budgetformeln</translation>
        </message>
        <message>
            <location filename="../views/speedmodel.cpp" line="99" />
            <source>context x batch</source>
            <translation>Kontext x Batch</translation>
        </message>
        <message>
            <location filename="../views/speedmodel.cpp" line="101" />
            <source>GQA ms/step</source>
            <translation>GQA ms/Schritt</translation>
        </message>
        <message>
            <location filename="../views/speedmodel.cpp" line="103" />
            <source>MLA ms/step</source>
            <translation>MLA ms/Schritt</translation>
        </message>
        <message>
            <location filename="../views/speedmodel.cpp" line="105" />
            <source>GQA tok/s</source>
            <translation>GQA Token/s</translation>
        </message>
        <message>
            <location filename="../views/speedmodel.cpp" line="107" />
            <source>MLA tok/s</source>
            <translation>MLA Token/s</translation>
        </message>
        <message>
            <location filename="../views/speedmodel.cpp" line="109" />
            <source>GQA cache</source>
            <translation>GQA-Cache</translation>
        </message>
        <message>
            <location filename="../views/speedmodel.cpp" line="111" />
            <source>MLA cache</source>
            <translation>MLA-Cache</translation>
        </message>
        <message>
            <location filename="../views/speedmodel.cpp" line="113" />
            <source>cache MLA/GQA</source>
            <translation>Cache MLA/GQA</translation>
        </message>
        <message>
            <location filename="../views/speedmodel.cpp" line="115" />
            <source>budget MLA/GQA</source>
            <translation>Budget MLA/GQA</translation>
        </message>
        <message>
            <location filename="../views/speedmodel.cpp" line="117" />
            <source>tok/s MLA/GQA</source>
            <translation>Token/s MLA/GQA</translation>
        </message>
    </context>
    <context>
        <name>transmla::views::SpeedView</name>
        <message>
            <location filename="../views/speedview.cpp" line="28" />
            <source>Measure</source>
            <translation>Messen</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="29" />
            <source>Cancel</source>
            <translation>Abbrechen</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="29" />
            <source>Clear</source>
            <translation>Leeren</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="31" />
            <source>Decoding speed</source>
            <translation>Dekodiergeschwindigkeit</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="34" />
            <source>Context tokens per sequence before decoding (synthetic token ids)</source>
            <translation>Kontext-Token je Sequenz vor dem Dekodieren (synthetische Token-IDs)</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="36" />
            <source>Sequences decoded together</source>
            <translation>Gemeinsam dekodierte Sequenzen</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="38" />
            <source>Timed greedy decoding steps (one more, untimed, warms up)</source>
            <translation>Gemessene gierige Dekodierschritte (ein weiterer, ungemessener Schritt dient zum Aufwärmen)</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="52" />
            <location filename="../views/speedview.cpp" line="216" />
            <source>tokens/s</source>
            <translation>Token/s</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="53" />
            <source>ms per step</source>
            <translation>ms pro Schritt</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="54" />
            <source>cache size</source>
            <translation>Cache-Größe</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="55" />
            <source>MLA/GQA ratios</source>
            <translation>MLA/GQA-Verhältnisse</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="59" />
            <source>Forget the measured settings</source>
            <translation>Die gemessenen Einstellungen verwerfen</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="72" />
            <source>Context:</source>
            <translation>Kontext:</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="74" />
            <source>Batch:</source>
            <translation>Batch:</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="76" />
            <source>Steps:</source>
            <translation>Schritte:</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="83" />
            <source>Show:</source>
            <translation>Anzeigen:</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="129" />
            <source>This session's conversion is not in memory: run the conversion again to measure decoding speed.</source>
            <translation>Die Konvertierung dieser Sitzung ist nicht im Speicher: Führen Sie die Konvertierung erneut aus, um die Dekodiergeschwindigkeit zu messen.</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="131" />
            <source>No converted model yet: run the conversion first. Then Measure decodes with the original model's GQA cache and with the converted model's MLA latent cache.</source>
            <translation>Noch kein konvertiertes Modell: Führen Sie zuerst die Konvertierung aus. Dann dekodiert „Messen“ mit dem GQA-Cache des Originalmodells und mit dem latenten MLA-Cache des konvertierten Modells.</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="134" />
            <source>Choose a context and a batch, then Measure (on the CPU, small contexts such as 256 x 1 take seconds).</source>
            <translation>Wählen Sie Kontext und Batch, dann „Messen“ (auf der CPU dauern kleine Kontexte wie 256 x 1 Sekunden).</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="141" />
            <source>%1: GQA %2 tok/s (%3 ms/step), MLA %4 tok/s (%5 ms/step); MLA cache %6 of GQA's (budget %7)</source>
            <translation>%1: GQA %2 Token/s (%3 ms/Schritt), MLA %4 Token/s (%5 ms/Schritt); MLA-Cache %6 des GQA-Caches (Budget %7)</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="146" />
            <source>(ranks differ by layer: budget at the largest)</source>
            <translation>(Ränge je Schicht verschieden: Budget beim größten)</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="167" />
            <source>Measuring %1 x %2 ...</source>
            <translation>Messe %1 x %2 ...</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="174" />
            <source>%1: %2 of %3</source>
            <translation>%1: %2 von %3</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="179" />
            <source>Cancelling... the measured settings are kept</source>
            <translation>Wird abgebrochen ... die gemessenen Einstellungen bleiben erhalten</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="184" />
            <source>Not measured: %1</source>
            <translation>Nicht gemessen: %1</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="197" />
            <source>context x batch</source>
            <translation>Kontext x Batch</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="213" />
            <source>MLA / GQA</source>
            <translation>MLA / GQA</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="214" />
            <source>cache (measured)</source>
            <translation>Cache (gemessen)</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="215" />
            <source>cache (budget)</source>
            <translation>Cache (Budget)</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="228" />
            <source>tokens/s (all sequences)</source>
            <translation>Token/s (alle Sequenzen)</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="229" />
            <source>ms per decoding step</source>
            <translation>ms pro Dekodierschritt</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="230" />
            <source>KV cache (MiB)</source>
            <translation>KV-Cache (MiB)</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="231" />
            <source>GQA cache</source>
            <translation>GQA-Cache</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="232" />
            <source>MLA latent cache</source>
            <translation>Latenter MLA-Cache</translation>
        </message>
        <message>
            <location filename="../views/speedview.cpp" line="235" />
            <source>analytic budget</source>
            <translation>analytisches Budget</translation>
        </message>
    </context>
    <context>
        <name>transmla::views::SummaryModel</name>
        <message>
            <location filename="../views/summarymodel.cpp" line="17" />
            <source>Family</source>
            <translation>Familie</translation>
        </message>
        <message>
            <location filename="../views/summarymodel.cpp" line="20" />
            <source>Layers</source>
            <translation>Schichten</translation>
        </message>
        <message>
            <location filename="../views/summarymodel.cpp" line="21" />
            <source>Hidden size</source>
            <translation>Versteckte Größe</translation>
        </message>
        <message>
            <location filename="../views/summarymodel.cpp" line="22" />
            <source>Query heads</source>
            <translation>Query-Köpfe</translation>
        </message>
        <message>
            <location filename="../views/summarymodel.cpp" line="23" />
            <source>KV heads</source>
            <translation>KV-Köpfe</translation>
        </message>
        <message>
            <location filename="../views/summarymodel.cpp" line="24" />
            <source>Head dim</source>
            <translation>Kopfdimension</translation>
        </message>
        <message>
            <location filename="../views/summarymodel.cpp" line="25" />
            <source>Vocabulary</source>
            <translation>Vokabular</translation>
        </message>
        <message>
            <location filename="../views/summarymodel.cpp" line="26" />
            <source>Parameters</source>
            <translation>Parameter</translation>
        </message>
        <message>
            <location filename="../views/summarymodel.cpp" line="27" />
            <source>KV cache per token (16-bit)</source>
            <translation>KV-Cache pro Token (16 Bit)</translation>
        </message>
        <message>
            <location filename="../views/summarymodel.cpp" line="28" />
            <source>%1 bytes</source>
            <translation>%1 Bytes</translation>
        </message>
        <message>
            <location filename="../views/summarymodel.cpp" line="29" />
            <source>Weights</source>
            <translation>Gewichte</translation>
        </message>
        <message>
            <location filename="../views/summarymodel.cpp" line="33" />
            <source>kv_lora_rank / qk_rope_head_dim</source>
            <translation>kv_lora_rank / qk_rope_head_dim</translation>
        </message>
        <message>
            <location filename="../views/summarymodel.cpp" line="36" />
            <source>Notes</source>
            <translation>Hinweise</translation>
        </message>
        <message>
            <location filename="../views/summarymodel.cpp" line="62" />
            <source>Property</source>
            <translation>Eigenschaft</translation>
        </message>
        <message>
            <location filename="../views/summarymodel.cpp" line="62" />
            <source>Value</source>
            <translation>Wert</translation>
        </message>
    </context>
    <context>
        <name>transmla::views::TensorModel</name>
        <message>
            <location filename="../views/tablemodels.cpp" line="60" />
            <source>Tensor</source>
            <translation>Tensor</translation>
        </message>
        <message>
            <location filename="../views/tablemodels.cpp" line="62" />
            <source>Dtype</source>
            <translation>Datentyp</translation>
        </message>
        <message>
            <location filename="../views/tablemodels.cpp" line="64" />
            <source>Shape</source>
            <translation>Form</translation>
        </message>
        <message>
            <location filename="../views/tablemodels.cpp" line="66" />
            <source>Elements</source>
            <translation>Elemente</translation>
        </message>
    </context>
</TS>
