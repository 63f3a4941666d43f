<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context>
    <name>transmla::views::MainWindow</name>
    <message>
        <location filename="../views/mainwindow.cpp" line="22"/>
        <source>TransMLA Workbench</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="33"/>
        <source>&lt;b&gt;Architecture&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="36"/>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="39"/>
        <source>Open a model folder (File &gt; Open model folder)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="49"/>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="50"/>
        <source>&amp;Open model folder...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="53"/>
        <source>Open &amp;session...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="54"/>
        <source>&amp;Save session...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="56"/>
        <source>&amp;Export...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="60"/>
        <source>Available once a conversion or analysis has run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="63"/>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="66"/>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="67"/>
        <source>&amp;Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="69"/>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="70"/>
        <source>&amp;About</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="74"/>
        <source>Open a Hugging Face model folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="81"/>
        <source>Reading %1 ...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="100"/>
        <source>TransMLA Workbench - %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="101"/>
        <source>%1: %2 layers, %3 query / %4 KV heads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="109"/>
        <source>Could not open %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="110"/>
        <source>Cannot open model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="118"/>
        <source>About TransMLA Workbench</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../views/mainwindow.cpp" line="119"/>
        <source>&lt;b&gt;TransMLA Workbench&lt;/b&gt; %1&lt;br&gt;Converts GQA language models to Multi-head Latent Attention (TransMLA) and shows what the conversion did.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>transmla::views::SummaryModel</name>
    <message>
        <location filename="../views/summarymodel.cpp" line="17"/>
        <source>Family</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../views/summarymodel.cpp" line="19"/>
        <source>Layers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../views/summarymodel.cpp" line="20"/>
        <source>Hidden size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../views/summarymodel.cpp" line="21"/>
        <source>Query heads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../views/summarymodel.cpp" line="22"/>
        <source>KV heads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../views/summarymodel.cpp" line="23"/>
        <source>Head dim</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../views/summarymodel.cpp" line="24"/>
        <source>Vocabulary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../views/summarymodel.cpp" line="25"/>
        <source>Parameters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../views/summarymodel.cpp" line="26"/>
        <source>KV cache per token (16-bit)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../views/summarymodel.cpp" line="27"/>
        <source>%1 bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../views/summarymodel.cpp" line="28"/>
        <source>Weights</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../views/summarymodel.cpp" line="32"/>
        <source>kv_lora_rank / qk_rope_head_dim</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../views/summarymodel.cpp" line="34"/>
        <source>Notes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../views/summarymodel.cpp" line="56"/>
        <source>Property</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../views/summarymodel.cpp" line="56"/>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
