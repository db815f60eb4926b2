<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context>
    <name>main</name>
    <message>
        <source>Build and evaluate retrieval-augmented generation pipelines.</source>
        <translation>Retrieval-Augmented-Generation-Pipelines bauen und bewerten.</translation>
    </message>
    <message>
        <source>Open the bundled demo project (built on first use).</source>
        <translation>Das mitgelieferte Demo-Projekt öffnen (beim ersten Mal gebaut).</translation>
    </message>
    <message>
        <source>Project file to open (with --demo: where the demo project lives).</source>
        <translation>Zu öffnende Projektdatei (mit --demo: Ort des Demo-Projekts).</translation>
    </message>
    <message>
        <source>With --demo: render each pane to DIR/&lt;pane&gt;.png after a query, then quit.</source>
        <translation>Mit --demo: nach einer Anfrage jeden Bereich als DIR/&lt;bereich&gt;.png speichern und beenden.</translation>
    </message>
</context>
<context>
    <name>rag::AnswerView</name>
    <message>
        <source>names no retrieved passage</source>
        <translation>nennt keine abgerufene Passage</translation>
    </message>
    <message>
        <source>[%1] names no retrieved passage</source>
        <translation>[%1] nennt keine abgerufene Passage</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>&amp;Answer</source>
        <translation>Ant&amp;worten</translation>
    </message>
    <message>
        <source>Cance&amp;l</source>
        <translation>Abbre&amp;chen</translation>
    </message>
    <message>
        <source>Answer the query from the best lane&apos;s results (Ctrl+Return)</source>
        <translation>Die Anfrage aus den Ergebnissen der besten Spur beantworten (Strg+Eingabe)</translation>
    </message>
    <message>
        <source> tokens</source>
        <translation> Token</translation>
    </message>
    <message>
        <source>The whole prompt, passages included, counted with the exact tokenizer</source>
        <translation>Der ganze Prompt samt Passagen, gezählt mit dem exakten Tokenizer</translation>
    </message>
    <message>
        <source>Chunks offered to the prompt; the lowest-ranked are dropped first when over budget</source>
        <translation>Chunks, die dem Prompt angeboten werden; über dem Budget fallen die am niedrigsten eingestuften zuerst weg</translation>
    </message>
    <message>
        <source>Run a query, then Answer (Ctrl+Return) to generate a grounded answer with citations.</source>
        <translation>Eine Anfrage ausführen, dann Antworten (Strg+Eingabe) für eine belegte Antwort mit Zitaten.</translation>
    </message>
    <message>
        <source>&amp;Budget</source>
        <translation>&amp;Budget</translation>
    </message>
    <message>
        <source>Pa&amp;ssages</source>
        <translation>&amp;Passagen</translation>
    </message>
    <message>
        <source>Model: %1</source>
        <translation>Modell: %1</translation>
    </message>
    <message>
        <source>Answering from the %1 lane…</source>
        <translation>Antwort aus der Spur %1 …</translation>
    </message>
    <message>
        <source>Fed by the &lt;b&gt;%1&lt;/b&gt; lane; answered by &lt;b&gt;%2&lt;/b&gt;</source>
        <translation>Gespeist aus der Spur &lt;b&gt;%1&lt;/b&gt;; beantwortet von &lt;b&gt;%2&lt;/b&gt;</translation>
    </message>
    <message>
        <source>fell back past %1</source>
        <translation>%1 übersprungen</translation>
    </message>
    <message>
        <source>Usage: %1 input / %2 output tokens</source>
        <translation>Verbrauch: %1 Eingabe- / %2 Ausgabe-Token</translation>
    </message>
    <message>
        <source>Usage: not reported</source>
        <translation>Verbrauch: nicht gemeldet</translation>
    </message>
    <message>
        <source>cost $%1</source>
        <translation>Kosten $%1</translation>
    </message>
    <message>
        <source>First token %1 · total %2</source>
        <translation>Erstes Token %1 · gesamt %2</translation>
    </message>
    <message>
        <source>Prompt %1 of %2 tokens</source>
        <translation>Prompt %1 von %2 Token</translation>
    </message>
    <message>
        <source>Passages</source>
        <translation>Passagen</translation>
    </message>
    <message>
        <source>%1 tokens</source>
        <translation>%1 Token</translation>
    </message>
    <message>
        <source>Dropped for the token budget: %1 chunks, %2 tokens</source>
        <translation>Für das Token-Budget weggelassen: %1 Chunks, %2 Token</translation>
    </message>
    <message>
        <source>rank %1, %2 — %3 tokens</source>
        <translation>Rang %1, %2 — %3 Token</translation>
    </message>
    <message>
        <source>%1 names no retrieved passage</source>
        <translation>%1 nennt keine abgerufene Passage</translation>
    </message>
    <message>
        <source>Answered from the %1 lane</source>
        <translation>Aus der Spur %1 beantwortet</translation>
    </message>
    <message>
        <source>Answer failed: %1</source>
        <translation>Antwort fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Cancelled — the answer above is partial</source>
        <translation>Abgebrochen — die Antwort oben ist unvollständig</translation>
    </message>
    <message numerus="yes">
        <source>Answered from the %1 lane; %n citation(s) name no retrieved passage</source>
        <translation>
            <numerusform>Aus der Spur %1 beantwortet; %n Zitat nennt keine abgerufene Passage</numerusform>
            <numerusform>Aus der Spur %1 beantwortet; %n Zitate nennen keine abgerufene Passage</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rag::ChunkConfigEditor</name>
    <message>
        <source>Recursive</source>
        <translation>Rekursiv</translation>
    </message>
    <message>
        <source>Fixed</source>
        <translation>Fest</translation>
    </message>
    <message>
        <source>Sentence</source>
        <translation>Satz</translation>
    </message>
    <message>
        <source>Markdown</source>
        <translation>Markdown</translation>
    </message>
    <message>
        <source>characters</source>
        <translation>Zeichen</translation>
    </message>
    <message>
        <source>tokens</source>
        <translation>Tokens</translation>
    </message>
    <message>
        <source>Str&amp;ategy</source>
        <translation>S&amp;trategie</translation>
    </message>
    <message>
        <source>Si&amp;ze</source>
        <translation>&amp;Größe</translation>
    </message>
    <message>
        <source>O&amp;verlap</source>
        <translation>Über&amp;lappung</translation>
    </message>
    <message>
        <source>U&amp;nit</source>
        <translation>Ei&amp;nheit</translation>
    </message>
</context>
<context>
    <name>rag::ChunkHistogram</name>
    <message>
        <source>No chunks</source>
        <translation>Keine Chunks</translation>
    </message>
    <message>
        <source>chunks</source>
        <translation>Chunks</translation>
    </message>
    <message>
        <source>length (%1, upper bound)</source>
        <translation>Länge (%1, Obergrenze)</translation>
    </message>
    <message numerus="yes">
        <source>%n chunk(s)</source>
        <translation>
            <numerusform>%n Chunk</numerusform>
            <numerusform>%n Chunks</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rag::ChunkPreview</name>
    <message>
        <source>Chunk %1: %2 tokens, bytes %3–%4</source>
        <translation>Chunk %1: %2 Tokens, Bytes %3–%4</translation>
    </message>
    <message>
        <source>Heading: %1</source>
        <translation>Überschrift: %1</translation>
    </message>
</context>
<context>
    <name>rag::DemoRunner</name>
    <message>
        <source>the demo corpus could not be imported: %1</source>
        <translation>das Demo-Korpus konnte nicht importiert werden: %1</translation>
    </message>
    <message>
        <source>the demo corpus (resources/demo/corpus.jsonl) was not found</source>
        <translation>das Demo-Korpus (resources/demo/corpus.jsonl) wurde nicht gefunden</translation>
    </message>
    <message>
        <source>could not write %1</source>
        <translation>%1 konnte nicht geschrieben werden</translation>
    </message>
    <message>
        <source>Evaluate %1 on the demo eval set</source>
        <translation>%1 auf dem Demo-Evaluationssatz evaluieren</translation>
    </message>
    <message>
        <source>evaluation failed: %1</source>
        <translation>Evaluation fehlgeschlagen: %1</translation>
    </message>
</context>
<context>
    <name>rag::DocumentListModel</name>
    <message>
        <source>Document</source>
        <translation>Dokument</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Chunks</source>
        <translation>Chunks</translation>
    </message>
</context>
<context>
    <name>rag::DocumentsPane</name>
    <message>
        <source>Co&amp;mpare with a second strategy</source>
        <translation>Mit zweiter Strategie &amp;vergleichen</translation>
    </message>
    <message>
        <source>Filter documents…</source>
        <translation>Dokumente filtern…</translation>
    </message>
    <message>
        <source>Chunk set whose chunk counts the list shows</source>
        <translation>Chunk-Set, dessen Chunk-Anzahlen die Liste zeigt</translation>
    </message>
    <message>
        <source>&amp;Import files…</source>
        <translation>Dateien &amp;importieren…</translation>
    </message>
    <message>
        <source>Import &amp;folder…</source>
        <translation>&amp;Ordner importieren…</translation>
    </message>
    <message>
        <source>Chunk set</source>
        <translation>Chunk-Set</translation>
    </message>
    <message>
        <source>Import status</source>
        <translation>Importstatus</translation>
    </message>
    <message>
        <source>&amp;Chunk project as</source>
        <translation>Projekt &amp;chunken als</translation>
    </message>
    <message>
        <source>Chunk every document with the first configuration into this chunk set (a job)</source>
        <translation>Alle Dokumente mit der ersten Konfiguration in dieses Chunk-Set zerlegen (ein Job)</translation>
    </message>
    <message>
        <source>Strategy A</source>
        <translation>Strategie A</translation>
    </message>
    <message>
        <source>Strategy B</source>
        <translation>Strategie B</translation>
    </message>
    <message>
        <source>Import files</source>
        <translation>Dateien importieren</translation>
    </message>
    <message>
        <source>Documents (*.txt *.md *.markdown *.html *.htm *.pdf *.docx *.csv *.jsonl);;All files (*)</source>
        <translation>Dokumente (*.txt *.md *.markdown *.html *.htm *.pdf *.docx *.csv *.jsonl);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Import folder</source>
        <translation>Ordner importieren</translation>
    </message>
    <message>
        <source>Load document</source>
        <translation>Dokument laden</translation>
    </message>
    <message>
        <source>Preview chunks</source>
        <translation>Chunk-Vorschau</translation>
    </message>
    <message>
        <source>tokens</source>
        <translation>Tokens</translation>
    </message>
    <message>
        <source>characters</source>
        <translation>Zeichen</translation>
    </message>
    <message numerus="yes">
        <source>%n chunk(s)</source>
        <translation>
            <numerusform>%n Chunk</numerusform>
            <numerusform>%n Chunks</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rag::EvalRunDialog</name>
    <message>
        <source>Import &amp;QA file…</source>
        <translation>&amp;QA-Import…</translation>
    </message>
    <message>
        <source>Import &amp;BEIR folder…</source>
        <translation>&amp;BEIR-Import…</translation>
    </message>
    <message>
        <source>Answer and &amp;judge with an LLM</source>
        <translation>Mit einem &amp;LLM antworten und bewerten</translation>
    </message>
    <message>
        <source>&amp;Start run</source>
        <translation>Lauf &amp;starten</translation>
    </message>
    <message>
        <source>New evaluation run</source>
        <translation>Neuer Evaluationslauf</translation>
    </message>
    <message>
        <source>Reciprocal rank fusion</source>
        <translation>Reciprocal Rank Fusion</translation>
    </message>
    <message>
        <source>Weighted scores</source>
        <translation>Gewichtete Scores</translation>
    </message>
    <message>
        <source>Weight of the dense leg in weighted fusion</source>
        <translation>Gewicht des dichten Zweigs bei gewichteter Fusion</translation>
    </message>
    <message>
        <source>Chunks each leg retrieves before fusion</source>
        <translation>Chunks, die jeder Zweig vor der Fusion abruft</translation>
    </message>
    <message>
        <source>Documents kept per query in the run (metrics like recall@100 need at least 100)</source>
        <translation>Dokumente, die der Lauf je Anfrage behält (Metriken wie recall@100 brauchen mindestens 100)</translation>
    </message>
    <message>
        <source>all queries</source>
        <translation>alle Anfragen</translation>
    </message>
    <message>
        <source>(automatic)</source>
        <translation>(automatisch)</translation>
    </message>
    <message>
        <source>Eval set</source>
        <translation>Evaluationssatz</translation>
    </message>
    <message>
        <source>Pipeline</source>
        <translation>Pipeline</translation>
    </message>
    <message>
        <source>&amp;Lane</source>
        <translation>S&amp;pur</translation>
    </message>
    <message>
        <source>&amp;Chunk set</source>
        <translation>&amp;Chunk-Set</translation>
    </message>
    <message>
        <source>&amp;Vector index</source>
        <translation>&amp;Vektorindex</translation>
    </message>
    <message>
        <source>&amp;Fusion</source>
        <translation>&amp;Fusion</translation>
    </message>
    <message>
        <source>RRF k</source>
        <translation>RRF-k</translation>
    </message>
    <message>
        <source>alpha</source>
        <translation>alpha</translation>
    </message>
    <message>
        <source>Candidates per leg</source>
        <translation>Kandidaten je Zweig</translation>
    </message>
    <message>
        <source>&amp;Depth (top-k documents)</source>
        <translation>T&amp;iefe (Top-k-Dokumente)</translation>
    </message>
    <message>
        <source>La&amp;bel</source>
        <translation>Be&amp;zeichnung</translation>
    </message>
    <message>
        <source>Query transform</source>
        <translation>Anfragetransformation</translation>
    </message>
    <message>
        <source>&amp;Transform</source>
        <translation>&amp;Transformation</translation>
    </message>
    <message>
        <source>Variants</source>
        <translation>Varianten</translation>
    </message>
    <message>
        <source>Chat model</source>
        <translation>Chat-Modell</translation>
    </message>
    <message>
        <source>&amp;Answer model</source>
        <translation>&amp;Antwortmodell</translation>
    </message>
    <message>
        <source>Judge &amp;model</source>
        <translation>Bewertungs&amp;modell</translation>
    </message>
    <message>
        <source>&amp;Repeats</source>
        <translation>&amp;Wiederholungen</translation>
    </message>
    <message>
        <source>Judge the first</source>
        <translation>Bewertete Anfragen</translation>
    </message>
    <message>
        <source>Context chunks</source>
        <translation>Kontext-Chunks</translation>
    </message>
    <message>
        <source>Settings ▸ &amp;Models…</source>
        <translation>Einstellungen ▸ Mo&amp;delle…</translation>
    </message>
    <message>
        <source>none configured (Settings ▸ Models)</source>
        <translation>keines (Einstellungen ▸ Modelle)</translation>
    </message>
    <message>
        <source>extractive (offline)</source>
        <translation>extractive (offline)</translation>
    </message>
    <message>
        <source>PROVIDER:MODEL that judges. The Settings ▸ Models chat model uses its base URL; another model uses its provider&apos;s default endpoint. Keys come from the keychain or the environment.</source>
        <translation>PROVIDER:MODEL des bewertenden Modells. Das Chat-Modell aus Einstellungen ▸ Modelle nutzt dessen Basis-URL, jedes andere Modell den Standard-Endpunkt seines Anbieters. Schlüssel kommen aus dem Schlüsselbund oder der Umgebung.</translation>
    </message>
    <message>
        <source> — stale, the run rebuilds it</source>
        <translation> — veraltet, der Lauf baut ihn neu</translation>
    </message>
    <message>
        <source>Chunk the documents in the Documents pane first</source>
        <translation>Zerlegen Sie zuerst im Bereich Dokumente die Dokumente in Chunks</translation>
    </message>
    <message>
        <source>Build a vector index on chunk set %1 in the Index pane first</source>
        <translation>Bauen Sie zuerst im Bereich Index einen Vektorindex über Chunk-Set %1</translation>
    </message>
    <message>
        <source>BM25 over the chunk set&apos;s keyword index (built by the run when missing)</source>
        <translation>BM25 über den Stichwortindex des Chunk-Sets (vom Lauf gebaut, falls er fehlt)</translation>
    </message>
    <message>
        <source>The chosen vector index alone</source>
        <translation>Nur der gewählte Vektorindex</translation>
    </message>
    <message>
        <source>BM25 and the vector index, fused</source>
        <translation>BM25 und der Vektorindex, fusioniert</translation>
    </message>
    <message>
        <source>The BM25 lane searches no vector index</source>
        <translation>Die BM25-Spur durchsucht keinen Vektorindex</translation>
    </message>
    <message>
        <source>Its embedder, kind and HNSW parameters go into the pipeline</source>
        <translation>Sein Embedder, seine Art und seine HNSW-Parameter gehen in die Pipeline ein</translation>
    </message>
    <message>
        <source>Fusion applies to the hybrid lane only</source>
        <translation>Fusion gilt nur für die Hybrid-Spur</translation>
    </message>
    <message>
        <source>RRF constant k: 1/(k + rank)</source>
        <translation>RRF-Konstante k: 1/(k + Rang)</translation>
    </message>
    <message>
        <source>Used by reciprocal rank fusion in the hybrid lane</source>
        <translation>Von der Reciprocal Rank Fusion in der Hybrid-Spur genutzt</translation>
    </message>
    <message>
        <source>Query transforms need a chat model: set one in Settings ▸ Models (the extractive answerer cannot write passages or phrasings)</source>
        <translation>Anfragetransformationen brauchen ein Chat-Modell: Richten Sie eines unter Einstellungen ▸ Modelle ein (der extraktive Antwortgeber kann keine Passagen oder Umformulierungen schreiben)</translation>
    </message>
    <message>
        <source>Search the query as written</source>
        <translation>Die Anfrage unverändert suchen</translation>
    </message>
    <message>
        <source>Hypothetical answer passages; the dense leg searches their mean vector with the query&apos;s</source>
        <translation>Hypothetische Antwortpassagen; der dichte Zweig sucht mit dem Mittel ihrer Vektoren und des Anfragevektors</translation>
    </message>
    <message>
        <source>HyDE changes only the dense leg&apos;s query vector: choose the dense or hybrid lane</source>
        <translation>HyDE ändert nur den Anfragevektor des dichten Zweigs: Wählen Sie die Spur dense oder hybrid</translation>
    </message>
    <message>
        <source>Alternative phrasings, each searched and fused by RRF</source>
        <translation>Alternative Formulierungen, einzeln gesucht und per RRF fusioniert</translation>
    </message>
    <message>
        <source>Open a project first</source>
        <translation>Öffnen Sie zuerst ein Projekt</translation>
    </message>
    <message>
        <source>Import an eval set first (Import QA file… or Import BEIR folder…)</source>
        <translation>Importieren Sie zuerst einen Evaluationssatz (QA-Import… oder BEIR-Import…)</translation>
    </message>
    <message>
        <source>Run it on the job runner (progress in the Jobs dock)</source>
        <translation>Als Job im Hintergrund ausführen (Fortschritt unter Jobs)</translation>
    </message>
    <message>
        <source>Judging cannot run: no judge model is configured. Set a chat model in Settings ▸ Models (&quot;extractive&quot; can answer offline but cannot judge), or type PROVIDER:MODEL as the judge model.</source>
        <translation>Bewertung nicht möglich: Kein Bewertungsmodell eingerichtet. Richten Sie unter Einstellungen ▸ Modelle ein Chat-Modell ein („extractive“ antwortet offline, bewertet aber nicht) oder geben Sie PROVIDER:MODEL als Bewertungsmodell ein.</translation>
    </message>
    <message>
        <source>Answers by %1, judged by %2. The eval set&apos;s reference answers are needed for context recall.</source>
        <translation>Antworten von %1, bewertet von %2. Für Context Recall werden die Referenzantworten des Evaluationssatzes gebraucht.</translation>
    </message>
    <message>
        <source>Importing %1…</source>
        <translation>%1 wird importiert…</translation>
    </message>
    <message>
        <source>Import eval set %1</source>
        <translation>Evaluationssatz %1 importieren</translation>
    </message>
    <message>
        <source>Import failed: %1</source>
        <translation>Import fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Imported %1: %2 queries, %3 judgments (%4 spans), %5 reference answers</source>
        <translation>%1 importiert: %2 Anfragen, %3 Relevanzurteile (%4 Textstellen), %5 Referenzantworten</translation>
    </message>
    <message>
        <source>Import a QA eval set</source>
        <translation>QA-Evaluationssatz importieren</translation>
    </message>
    <message>
        <source>QA sets (*.jsonl *.json *.csv *.tsv);;All files (*)</source>
        <translation>QA-Sätze (*.jsonl *.json *.csv *.tsv);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Import a BEIR folder (queries.jsonl, qrels/)</source>
        <translation>BEIR-Ordner importieren (queries.jsonl, qrels/)</translation>
    </message>
    <message>
        <source>BEIR split</source>
        <translation>BEIR-Split</translation>
    </message>
    <message>
        <source>Qrels split:</source>
        <translation>Qrels-Split:</translation>
    </message>
</context>
<context>
    <name>rag::EvaluatePane</name>
    <message>
        <source>Judged answers</source>
        <translation>Bewertete Antworten</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Lauf</translation>
    </message>
    <message>
        <source>Changes from baseline</source>
        <translation>Änderungen zum Basislauf</translation>
    </message>
    <message>
        <source>Metric</source>
        <translation>Metrik</translation>
    </message>
    <message>
        <source>Baseline</source>
        <translation>Basislauf</translation>
    </message>
    <message>
        <source>Run value</source>
        <translation>Wert des Laufs</translation>
    </message>
    <message>
        <source>Δ</source>
        <translation>Δ</translation>
    </message>
    <message>
        <source>95% CI of Δ</source>
        <translation>95-%-KI von Δ</translation>
    </message>
    <message>
        <source>p</source>
        <translation>p</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>Urteil</translation>
    </message>
    <message>
        <source>Queries for 80% power</source>
        <translation>Anfragen für 80 % Teststärke</translation>
    </message>
    <message>
        <source>Query</source>
        <translation>Anfrage</translation>
    </message>
    <message>
        <source>Run A</source>
        <translation>Lauf A</translation>
    </message>
    <message>
        <source>Run B</source>
        <translation>Lauf B</translation>
    </message>
    <message>
        <source>Entered top-k</source>
        <translation>Neu in den Top-k</translation>
    </message>
    <message>
        <source>Left top-k</source>
        <translation>Aus den Top-k gefallen</translation>
    </message>
    <message>
        <source>Rank moves (relevant)</source>
        <translation>Rangwechsel (relevant)</translation>
    </message>
    <message>
        <source>Baseline:</source>
        <translation>Basislauf:</translation>
    </message>
    <message>
        <source>Metric:</source>
        <translation>Metrik:</translation>
    </message>
    <message>
        <source>&amp;Reload runs</source>
        <translation>Läufe &amp;neu laden</translation>
    </message>
    <message>
        <source>Run A:</source>
        <translation>Lauf A:</translation>
    </message>
    <message>
        <source>Run B:</source>
        <translation>Lauf B:</translation>
    </message>
    <message>
        <source>k:</source>
        <translation>k:</translation>
    </message>
    <message>
        <source>Compare &amp;queries</source>
        <translation>&amp;Anfragen vergleichen</translation>
    </message>
    <message>
        <source>Double-click a query to run it in the Playground.</source>
        <translation>Doppelklick auf eine Anfrage führt sie in der Spielwiese aus.</translation>
    </message>
    <message>
        <source>Parameter:</source>
        <translation>Parameter:</translation>
    </message>
    <message>
        <source>Against the baseline</source>
        <translation>Gegen den Basislauf</translation>
    </message>
    <message>
        <source>Per-query drill-down</source>
        <translation>Je Anfrage im Detail</translation>
    </message>
    <message>
        <source>Sweep</source>
        <translation>Parameterreihe</translation>
    </message>
    <message>
        <source>Comparing runs…</source>
        <translation>Läufe werden verglichen …</translation>
    </message>
    <message>
        <source>Compare evaluation runs</source>
        <translation>Evaluationsläufe vergleichen</translation>
    </message>
    <message>
        <source>Comparison failed: %1</source>
        <translation>Vergleich fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>No evaluation runs yet</source>
        <translation>Noch keine Evaluationsläufe</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s)</source>
        <translation>
            <numerusform>%n Lauf</numerusform>
            <numerusform>%n Läufe</numerusform>
        </translation>
    </message>
    <message>
        <source>(baseline)</source>
        <translation>(Basislauf)</translation>
    </message>
    <message>
        <source>same config</source>
        <translation>gleiche Konfiguration</translation>
    </message>
    <message>
        <source> (exact)</source>
        <translation> (exakt)</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>Metric means with bootstrap 95% CI over queries</source>
        <translation>Metrik-Mittelwerte mit Bootstrap-95-%-KI über die Anfragen</translation>
    </message>
    <message>
        <source>baseline</source>
        <translation>Basislauf</translation>
    </message>
    <message numerus="yes">
        <source> (+%n more)</source>
        <translation>
            <numerusform> (+%n weitere)</numerusform>
            <numerusform> (+%n weitere)</numerusform>
        </translation>
    </message>
    <message>
        <source>metric value</source>
        <translation>Metrikwert</translation>
    </message>
    <message>
        <source>Drill-down failed: %1</source>
        <translation>Detailvergleich fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Sweep series</source>
        <translation>Parameterreihe</translation>
    </message>
    <message>
        <source>No sweep: %1</source>
        <translation>Keine Parameterreihe: %1</translation>
    </message>
    <message>
        <source>%1 against %2 (best point marked)</source>
        <translation>%1 über %2 (bester Punkt markiert)</translation>
    </message>
    <message>
        <source>best</source>
        <translation>bester</translation>
    </message>
    <message>
        <source>&amp;New run…</source>
        <translation>Neuer &amp;Lauf…</translation>
    </message>
    <message>
        <source>Cancel run</source>
        <translation>Lauf abbrechen</translation>
    </message>
    <message>
        <source>Evaluate a pipeline variant on a stored eval set</source>
        <translation>Eine Pipeline-Variante auf einem gespeicherten Evaluationssatz evaluieren</translation>
    </message>
    <message>
        <source>not comparable with the baseline: %1</source>
        <translation>nicht mit dem Basislauf vergleichbar: %1</translation>
    </message>
    <message>
        <source>not comparable</source>
        <translation>nicht vergleichbar</translation>
    </message>
    <message>
        <source>, about %1 min %2 s left</source>
        <translation>, noch etwa %1 min %2 s</translation>
    </message>
    <message>
        <source>, about %1 s left</source>
        <translation>, noch etwa %1 s</translation>
    </message>
    <message>
        <source>A run is in progress: cancel it or wait for it before starting another</source>
        <translation>Ein Lauf ist aktiv: Brechen Sie ihn ab oder warten Sie, bevor Sie einen weiteren starten</translation>
    </message>
    <message>
        <source>Evaluate %1 on %2</source>
        <translation>%1 auf %2 evaluieren</translation>
    </message>
    <message>
        <source>Run “%1” cancelled; nothing was recorded</source>
        <translation>Lauf „%1“ abgebrochen; nichts wurde aufgezeichnet</translation>
    </message>
    <message>
        <source>Run failed: %1</source>
        <translation>Lauf fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>run #%1 “%2” recorded</source>
        <translation>Lauf #%1 „%2“ aufgezeichnet</translation>
    </message>
    <message>
        <source>A run is in progress: cancel it or wait for it</source>
        <translation>Ein Lauf ist aktiv: Brechen Sie ihn ab oder warten Sie</translation>
    </message>
    <message>
        <source>Preparing %1…</source>
        <translation>%1 wird vorbereitet…</translation>
    </message>
    <message>
        <source>Running “%1”…</source>
        <translation>„%1“ läuft…</translation>
    </message>
    <message>
        <source>evaluating</source>
        <translation>wird evaluiert</translation>
    </message>
    <message>
        <source>significant</source>
        <translation>signifikant</translation>
    </message>
    <message>
        <source>within noise</source>
        <translation>im Rauschen</translation>
    </message>
</context>
<context>
    <name>rag::ImportOutcomeModel</name>
    <message>
        <source>imported</source>
        <translation>importiert</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>unverändert</translation>
    </message>
    <message>
        <source>replaced</source>
        <translation>ersetzt</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>%1 added, %2 replaced, %3 unchanged</source>
        <translation>%1 hinzugefügt, %2 ersetzt, %3 unverändert</translation>
    </message>
    <message numerus="yes">
        <source>%n record(s) skipped: %1</source>
        <translation>
            <numerusform>%n Datensatz übersprungen: %1</numerusform>
            <numerusform>%n Datensätze übersprungen: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>Dokumente</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
</context>
<context>
    <name>rag::IndexPane</name>
    <message>
        <source>model name, e.g. nomic-embed-text</source>
        <translation>Modellname, z. B. nomic-embed-text</translation>
    </message>
    <message>
        <source>Remote embedders read their API key from the environment (OPENAI_API_KEY, OLLAMA_API_KEY, COHERE_API_KEY); it is never stored in the project.</source>
        <translation>Entfernte Embedder lesen ihren API-Schlüssel aus der Umgebung (OPENAI_API_KEY, OLLAMA_API_KEY, COHERE_API_KEY); er wird nie im Projekt gespeichert.</translation>
    </message>
    <message>
        <source>M&amp;odel</source>
        <translation>M&amp;odell</translation>
    </message>
    <message>
        <source>Base &amp;URL</source>
        <translation>Basis-&amp;URL</translation>
    </message>
    <message>
        <source>default: %1 (or $%2)</source>
        <translation>Standard: %1 (oder $%2)</translation>
    </message>
    <message>
        <source>default: $%1 = %2</source>
        <translation>Standard: $%1 = %2</translation>
    </message>
    <message>
        <source>Enter the remote embedder&apos;s model name.</source>
        <translation>Den Modellnamen des entfernten Embedders eingeben.</translation>
    </message>
    <message>
        <source>The base URL must not contain spaces.</source>
        <translation>Die Basis-URL darf keine Leerzeichen enthalten.</translation>
    </message>
    <message>
        <source>Build failed: %1 (the previous index is still in use)</source>
        <translation>Build fehlgeschlagen: %1 (der bisherige Index bleibt in Gebrauch)</translation>
    </message>
    <message>
        <source>Build cancelled; the previous index is still in use</source>
        <translation>Build abgebrochen; der bisherige Index bleibt in Gebrauch</translation>
    </message>
    <message>
        <source>&amp;Build index</source>
        <translation>Index &amp;bauen</translation>
    </message>
    <message>
        <source>Cancel build</source>
        <translation>Build abbrechen</translation>
    </message>
    <message>
        <source>&amp;Rebuild selected</source>
        <translation>Auswahl &amp;neu bauen</translation>
    </message>
    <message>
        <source>Run s&amp;weep</source>
        <translation>S&amp;weep starten</translation>
    </message>
    <message>
        <source>BM25 (keyword)</source>
        <translation>BM25 (Stichwort)</translation>
    </message>
    <message>
        <source>HNSW (approximate vectors)</source>
        <translation>HNSW (approximative Vektoren)</translation>
    </message>
    <message>
        <source>Flat (exact vectors)</source>
        <translation>Flach (exakte Vektoren)</translation>
    </message>
    <message>
        <source>&amp;Chunk set</source>
        <translation>C&amp;hunk-Set</translation>
    </message>
    <message>
        <source>&amp;Kind</source>
        <translation>&amp;Art</translation>
    </message>
    <message>
        <source>&amp;Embedder</source>
        <translation>&amp;Embedder</translation>
    </message>
    <message>
        <source>&amp;M</source>
        <translation>&amp;M</translation>
    </message>
    <message>
        <source>ef_&amp;construction</source>
        <translation>ef_&amp;construction</translation>
    </message>
    <message>
        <source>ef_&amp;search</source>
        <translation>ef_&amp;search</translation>
    </message>
    <message>
        <source>Build</source>
        <translation>Bauen</translation>
    </message>
    <message>
        <source>Index variants</source>
        <translation>Indexvarianten</translation>
    </message>
    <message>
        <source>Index</source>
        <translation>Index</translation>
    </message>
    <message>
        <source>M values</source>
        <translation>M-Werte</translation>
    </message>
    <message>
        <source>ef_search values</source>
        <translation>ef_search-Werte</translation>
    </message>
    <message>
        <source>HNSW tuning: recall@10 against exact search vs p50 latency</source>
        <translation>HNSW-Tuning: recall@10 gegenüber exakter Suche vs. p50-Latenz</translation>
    </message>
    <message>
        <source>Built in %1 s</source>
        <translation>Gebaut in %1 s</translation>
    </message>
    <message>
        <source>Create a chunk set in the Documents pane first.</source>
        <translation>Legen Sie zuerst im Bereich Dokumente ein Chunk-Set an.</translation>
    </message>
    <message>
        <source>Building %1…</source>
        <translation>%1 wird gebaut…</translation>
    </message>
    <message>
        <source>Rebuilding %1…</source>
        <translation>%1 wird neu gebaut…</translation>
    </message>
    <message>
        <source>HNSW sweep on %1</source>
        <translation>HNSW-Sweep über %1</translation>
    </message>
    <message>
        <source>p50 latency (ms, log)</source>
        <translation>p50-Latenz (ms, log)</translation>
    </message>
    <message>
        <source>recall@10</source>
        <translation>recall@10</translation>
    </message>
    <message>
        <source>M = %1</source>
        <translation>M = %1</translation>
    </message>
    <message>
        <source>Sweep failed: %1</source>
        <translation>Sweep fehlgeschlagen: %1</translation>
    </message>
</context>
<context>
    <name>rag::IndexVariantModel</name>
    <message>
        <source>(keyword)</source>
        <translation>(Stichwort)</translation>
    </message>
    <message>
        <source>in project</source>
        <translation>im Projekt</translation>
    </message>
    <message>
        <source>%1 in project</source>
        <translation>%1 im Projekt</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>stale</source>
        <translation>veraltet</translation>
    </message>
    <message>
        <source>current</source>
        <translation>aktuell</translation>
    </message>
    <message>
        <source>Built %1 from chunk set &apos;%2&apos;</source>
        <translation>Gebaut %1 aus Chunk-Set &apos;%2&apos;</translation>
    </message>
    <message>
        <source>Index</source>
        <translation>Index</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Chunk set</source>
        <translation>Chunk-Set</translation>
    </message>
    <message>
        <source>Embedder</source>
        <translation>Embedder</translation>
    </message>
    <message>
        <source>Dim</source>
        <translation>Dim</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Build time</source>
        <translation>Bauzeit</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
</context>
<context>
    <name>rag::JobDock</name>
    <message>
        <source>Jobs</source>
        <translation>Jobs</translation>
    </message>
    <message>
        <source>&amp;Cancel job</source>
        <translation>Job &amp;abbrechen</translation>
    </message>
    <message>
        <source>Double-click a failed job to read its error.</source>
        <translation>Doppelklick auf einen fehlgeschlagenen Job zeigt den Fehler.</translation>
    </message>
    <message>
        <source>Job failed</source>
        <translation>Job fehlgeschlagen</translation>
    </message>
</context>
<context>
    <name>rag::JobListModel</name>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>done</source>
        <translation>fertig</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>superseded</source>
        <translation>ersetzt</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>Job</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Fortschritt</translation>
    </message>
    <message>
        <source>Throughput</source>
        <translation>Durchsatz</translation>
    </message>
    <message>
        <source>ETA / time</source>
        <translation>Restzeit / Dauer</translation>
    </message>
</context>
<context>
    <name>rag::JudgedView</name>
    <message>
        <source>%1 (judged)</source>
        <translation>%1 (bewertet)</translation>
    </message>
    <message>
        <source>repeat agreement: no query was judged twice</source>
        <translation>Wiederholungsübereinstimmung: keine Anfrage wurde zweimal bewertet</translation>
    </message>
    <message>
        <source>repeat agreement over %1 queries: mean absolute deviation %2, %3 within ±%4</source>
        <translation>Wiederholungsübereinstimmung über %1 Anfragen: mittlere absolute Abweichung %2, %3 innerhalb ±%4</translation>
    </message>
    <message>
        <source>[%1] (no such passage)</source>
        <translation>[%1] (keine solche Passage)</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Lauf</translation>
    </message>
    <message>
        <source>Answer model</source>
        <translation>Antwortmodell</translation>
    </message>
    <message>
        <source>Judge model</source>
        <translation>Bewertungsmodell</translation>
    </message>
    <message>
        <source>Query</source>
        <translation>Anfrage</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>Antwort</translation>
    </message>
    <message>
        <source>Citations</source>
        <translation>Zitate</translation>
    </message>
    <message>
        <source>Repeat agreement</source>
        <translation>Wiederholungsübereinstimmung</translation>
    </message>
    <message>
        <source>Judged run:</source>
        <translation>Bewerteter Lauf:</translation>
    </message>
    <message>
        <source>unmeasured (0/%1)</source>
        <translation>nicht gemessen (0/%1)</translation>
    </message>
    <message>
        <source>answers by %1, judged by %2; judge calls: %3</source>
        <translation>Antworten von %1, bewertet von %2; Bewertungsaufrufe: %3</translation>
    </message>
    <message>
        <source>(no answer: %1)</source>
        <translation>(keine Antwort: %1)</translation>
    </message>
    <message>
        <source>unmeasured: %1</source>
        <translation>nicht gemessen: %1</translation>
    </message>
    <message>
        <source>single judgement</source>
        <translation>einzelne Bewertung</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Reference:&lt;/b&gt; %1&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Referenz:&lt;/b&gt; %1&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;No answer:&lt;/b&gt; %1&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Keine Antwort:&lt;/b&gt; %1&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Answer:&lt;/b&gt; %1&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Antwort:&lt;/b&gt; %1&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Citations:&lt;/b&gt; %1&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Zitate:&lt;/b&gt; %1&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Passages the answer saw:</source>
        <translation>Passagen, die die Antwort sah:</translation>
    </message>
    <message>
        <source>&lt;li&gt;[%1] %2 (rank %3)&lt;/li&gt;</source>
        <translation>&lt;li&gt;[%1] %2 (Rang %3)&lt;/li&gt;</translation>
    </message>
    <message>
        <source>unmeasured — %1</source>
        <translation>nicht gemessen — %1</translation>
    </message>
    <message>
        <source>unmeasured</source>
        <translation>nicht gemessen</translation>
    </message>
    <message>
        <source>repeats: %1</source>
        <translation>Wiederholungen: %1</translation>
    </message>
</context>
<context>
    <name>rag::LaneResultModel</name>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>Score</translation>
    </message>
    <message>
        <source>BM25</source>
        <translation>BM25</translation>
    </message>
    <message>
        <source>Dense</source>
        <translation>Dicht</translation>
    </message>
    <message>
        <source>Hybrid</source>
        <translation>Hybrid</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>Dokument</translation>
    </message>
    <message>
        <source>Snippet</source>
        <translation>Ausschnitt</translation>
    </message>
    <message>
        <source>Rank %1 before reranking, %2 after</source>
        <translation>Rang %1 vor dem Reranking, %2 danach</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>Vorher</translation>
    </message>
</context>
<context>
    <name>rag::LaneView</name>
    <message>
        <source>Double-click (or Enter) opens the source document at this chunk.</source>
        <translation>Doppelklick (oder Eingabe) öffnet das Quelldokument an diesem Chunk.</translation>
    </message>
    <message>
        <source>%1 — %2 ms</source>
        <translation>%1 — %2 ms</translation>
    </message>
</context>
<context>
    <name>rag::MainWindow</name>
    <message>
        <source>RAG Workbench</source>
        <translation>RAG Workbench</translation>
    </message>
    <message>
        <source>&amp;Documents</source>
        <translation>Do&amp;kumente</translation>
    </message>
    <message>
        <source>I&amp;ndex</source>
        <translation>I&amp;ndex</translation>
    </message>
    <message>
        <source>&amp;Playground</source>
        <translation>&amp;Spielwiese</translation>
    </message>
    <message>
        <source>No project open — File ▸ New or Open, or drop files after opening one</source>
        <translation>Kein Projekt geöffnet — Datei ▸ Neu oder Öffnen; danach Dateien hineinziehen</translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation>%1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>Import: %1 imported, %2 replaced, %3 unchanged, %4 failed</source>
        <translation>Import: %1 importiert, %2 ersetzt, %3 unverändert, %4 fehlgeschlagen</translation>
    </message>
    <message numerus="yes">
        <source>%n job(s) running</source>
        <translation>
            <numerusform>%n Job läuft</numerusform>
            <numerusform>%n Jobs laufen</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;New project…</source>
        <translation>&amp;Neues Projekt…</translation>
    </message>
    <message>
        <source>&amp;Open project…</source>
        <translation>Projekt ö&amp;ffnen…</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>&amp;Zuletzt geöffnet</translation>
    </message>
    <message>
        <source>&amp;Import files…</source>
        <translation>Dateien &amp;importieren…</translation>
    </message>
    <message>
        <source>Import &amp;folder…</source>
        <translation>&amp;Ordner importieren…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Index</source>
        <translation>&amp;Index</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>A&amp;usführen</translation>
    </message>
    <message>
        <source>&amp;Build index</source>
        <translation>Index &amp;bauen</translation>
    </message>
    <message>
        <source>&amp;Query</source>
        <translation>&amp;Anfrage</translation>
    </message>
    <message>
        <source>&amp;Cancel all jobs</source>
        <translation>Alle Jobs abbre&amp;chen</translation>
    </message>
    <message>
        <source>New project</source>
        <translation>Neues Projekt</translation>
    </message>
    <message>
        <source>RAG Workbench projects (*.ragwb)</source>
        <translation>RAG-Workbench-Projekte (*.ragwb)</translation>
    </message>
    <message>
        <source>Open project</source>
        <translation>Projekt öffnen</translation>
    </message>
    <message>
        <source>RAG Workbench projects (*.ragwb);;All files (*)</source>
        <translation>RAG-Workbench-Projekte (*.ragwb);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>%1 — RAG Workbench</source>
        <translation>%1 — RAG Workbench</translation>
    </message>
    <message>
        <source>&amp;Evaluate</source>
        <translation>&amp;Evaluieren</translation>
    </message>
    <message>
        <source>New &amp;evaluation run…</source>
        <translation>Neuer &amp;Evaluationslauf…</translation>
    </message>
</context>
<context>
    <name>rag::PlaygroundPane</name>
    <message>
        <source>&amp;Search</source>
        <translation>&amp;Suchen</translation>
    </message>
    <message>
        <source>T&amp;hreshold</source>
        <translation>Schwe&amp;lle</translation>
    </message>
    <message>
        <source>Ask a question…</source>
        <translation>Stellen Sie eine Frage…</translation>
    </message>
    <message>
        <source>RRF</source>
        <translation>RRF</translation>
    </message>
    <message>
        <source>Weighted</source>
        <translation>Gewichtet</translation>
    </message>
    <message>
        <source>Weight of the dense leg in weighted fusion</source>
        <translation>Gewicht des dichten Zweigs bei gewichteter Fusion</translation>
    </message>
    <message>
        <source>&amp;Query</source>
        <translation>&amp;Anfrage</translation>
    </message>
    <message>
        <source>Chunk set</source>
        <translation>Chunk-Set</translation>
    </message>
    <message>
        <source>Dense index</source>
        <translation>Dichter Index</translation>
    </message>
    <message>
        <source>&amp;Fusion</source>
        <translation>&amp;Fusion</translation>
    </message>
    <message>
        <source>RRF &amp;k</source>
        <translation>RRF-&amp;k</translation>
    </message>
    <message>
        <source>&amp;Weight</source>
        <translation>&amp;Gewicht</translation>
    </message>
    <message>
        <source>&amp;Top-k</source>
        <translation>&amp;Top-k</translation>
    </message>
    <message>
        <source>BM25</source>
        <translation>BM25</translation>
    </message>
    <message>
        <source>Dense</source>
        <translation>Dicht</translation>
    </message>
    <message>
        <source>Hybrid</source>
        <translation>Hybrid</translation>
    </message>
    <message>
        <source>Query: %1</source>
        <translation>Anfrage: %1</translation>
    </message>
    <message>
        <source>Open document</source>
        <translation>Dokument öffnen</translation>
    </message>
    <message>
        <source>Source document</source>
        <translation>Quelldokument</translation>
    </message>
    <message>
        <source>Reranked</source>
        <translation>Neu gerankt</translation>
    </message>
    <message>
        <source>No reranker is configured. Choose one (Cohere, Jina, TEI, a llama.cpp server or an LLM) in Settings → Models.</source>
        <translation>Kein Reranker eingerichtet. Wählen Sie einen (Cohere, Jina, TEI, einen llama.cpp-Server oder ein LLM) unter Einstellungen → Modelle.</translation>
    </message>
    <message>
        <source>Configure a reranker…</source>
        <translation>Reranker einrichten …</translation>
    </message>
    <message>
        <source>The %1 lane has no candidates to rerank.</source>
        <translation>Die Spur %1 hat keine Kandidaten zum Reranking.</translation>
    </message>
    <message>
        <source>Reranking the %1 lane&apos;s top %2 with %3…</source>
        <translation>Reranking der besten %2 der Spur %1 mit %3 …</translation>
    </message>
    <message>
        <source>Rerank: %1</source>
        <translation>Reranking: %1</translation>
    </message>
    <message>
        <source>Reranking failed: %1</source>
        <translation>Reranking fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Settings → Models…</source>
        <translation>Einstellungen → Modelle …</translation>
    </message>
    <message>
        <source>Reranked (%1)</source>
        <translation>Neu gerankt (%1)</translation>
    </message>
    <message>
        <source>run a query first</source>
        <translation>zuerst eine Anfrage ausführen</translation>
    </message>
    <message>
        <source>Answer: %1</source>
        <translation>Antwort: %1</translation>
    </message>
</context>
<context>
    <name>rag::ProjectSession</name>
    <message>
        <source>Open %1</source>
        <translation>%1 öffnen</translation>
    </message>
    <message>
        <source>Open project</source>
        <translation>Projekt öffnen</translation>
    </message>
    <message>
        <source>Read project</source>
        <translation>Projekt lesen</translation>
    </message>
    <message numerus="yes">
        <source>Import %n item(s)</source>
        <translation>
            <numerusform>%n Element importieren</numerusform>
            <numerusform>%n Elemente importieren</numerusform>
        </translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>Chunk &apos;%1&apos;</source>
        <translation>&apos;%1&apos; chunken</translation>
    </message>
    <message>
        <source>Chunk</source>
        <translation>Chunken</translation>
    </message>
    <message>
        <source>Build index %1</source>
        <translation>Index %1 bauen</translation>
    </message>
    <message>
        <source>Build index</source>
        <translation>Index bauen</translation>
    </message>
</context>
<context>
    <name>rag::SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Systemsprache</translation>
    </message>
    <message>
        <source>System</source>
        <translation>System</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>Du&amp;rchsuchen…</translation>
    </message>
    <message>
        <source>Chunking</source>
        <translation>Chunking</translation>
    </message>
    <message>
        <source>&amp;Embedder</source>
        <translation>&amp;Embedder</translation>
    </message>
    <message>
        <source>HNSW &amp;M</source>
        <translation>HNSW-&amp;M</translation>
    </message>
    <message>
        <source>HNSW ef_&amp;construction</source>
        <translation>HNSW-ef_&amp;construction</translation>
    </message>
    <message>
        <source>HNSW ef_&amp;search</source>
        <translation>HNSW-ef_&amp;search</translation>
    </message>
    <message>
        <source>&amp;Data folder</source>
        <translation>&amp;Datenordner</translation>
    </message>
    <message>
        <source>&amp;Language (after restart)</source>
        <translation>S&amp;prache (nach Neustart)</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>&amp;Farbschema</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>Datenordner</translation>
    </message>
    <message>
        <source>&amp;General</source>
        <translation>&amp;Allgemein</translation>
    </message>
    <message>
        <source>&amp;Models</source>
        <translation>&amp;Modelle</translation>
    </message>
    <message>
        <source>extractive (offline), openai:gpt-4o-mini, anthropic:claude-3-5-haiku-latest, ollama:llama3.2, llamacpp:any; a comma list falls back in order</source>
        <translation>extractive (offline), openai:gpt-4o-mini, anthropic:claude-3-5-haiku-latest, ollama:llama3.2, llamacpp:any; eine Komma-Liste weicht der Reihe nach aus</translation>
    </message>
    <message>
        <source>the provider&apos;s default</source>
        <translation>Vorgabe des Anbieters</translation>
    </message>
    <message>
        <source>Empty: no Reranked lane. tei and llamacpp need the reranker base URL.</source>
        <translation>Leer: keine Reranking-Spur. tei und llamacpp brauchen die Basis-URL des Rerankers.</translation>
    </message>
    <message>
        <source>the provider&apos;s default, e.g. http://127.0.0.1:8080/v1</source>
        <translation>Vorgabe des Anbieters, z. B. http://127.0.0.1:8080/v1</translation>
    </message>
    <message>
        <source>&amp;Chat model</source>
        <translation>&amp;Chat-Modell</translation>
    </message>
    <message>
        <source>Chat &amp;base URL</source>
        <translation>Chat-&amp;Basis-URL</translation>
    </message>
    <message>
        <source>&amp;Reranker</source>
        <translation>&amp;Reranker</translation>
    </message>
    <message>
        <source>Reranker base &amp;URL</source>
        <translation>Reranker-Basis-&amp;URL</translation>
    </message>
    <message>
        <source>Rerank &amp;depth</source>
        <translation>Reranking-&amp;Tiefe</translation>
    </message>
    <message>
        <source>Context token b&amp;udget</source>
        <translation>Kontext-Token-Bu&amp;dget</translation>
    </message>
    <message>
        <source>&amp;Passages per answer</source>
        <translation>&amp;Passagen je Antwort</translation>
    </message>
    <message>
        <source>API keys (stored in the OS keychain)</source>
        <translation>API-Schlüssel (im Schlüsselbund des Systems gespeichert)</translation>
    </message>
    <message>
        <source>Store</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>a key is stored</source>
        <translation>ein Schlüssel ist gespeichert</translation>
    </message>
    <message>
        <source>no key stored</source>
        <translation>kein Schlüssel gespeichert</translation>
    </message>
    <message>
        <source>type to replace the stored key</source>
        <translation>tippen, um den gespeicherten Schlüssel zu ersetzen</translation>
    </message>
    <message>
        <source>paste the API key</source>
        <translation>API-Schlüssel einfügen</translation>
    </message>
    <message>
        <source>not stored: %1</source>
        <translation>nicht gespeichert: %1</translation>
    </message>
    <message>
        <source>not removed: %1</source>
        <translation>nicht entfernt: %1</translation>
    </message>
</context>
<context>
    <name>rag::SweepPointModel</name>
    <message>
        <source>M</source>
        <translation>M</translation>
    </message>
    <message>
        <source>ef_search</source>
        <translation>ef_search</translation>
    </message>
    <message>
        <source>recall@10</source>
        <translation>recall@10</translation>
    </message>
    <message>
        <source>p50 ms</source>
        <translation>p50 ms</translation>
    </message>
    <message>
        <source>vs exact</source>
        <translation>vs. exakt</translation>
    </message>
</context>
</TS>
