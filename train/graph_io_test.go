package train_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/gorgoflow/gorgoflow/train"
)

// protocEncode parses text with protoc as message msg and returns the
// binary form.
func protocEncode(t *testing.T, msg string, text []byte) []byte {
	t.Helper()
	cmd := exec.Command("protoc", "--encode=tensorflow."+msg, "-I", "../internal/testdata", "tensorflow.proto")
	cmd.Stdin = bytes.NewReader(text)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("protoc --encode=%s: %v: %s", msg, err, stderr.String())
	}
	return out
}

// TestWriteGraphAndMetaGraph: the text forms (graph.pbtxt, a text
// MetaGraphDef) parse with protoc into exactly the binary forms written.
func TestWriteGraphAndMetaGraph(t *testing.T) {
	needProtoc(t)
	m := newTSModel(t, true)
	dir := filepath.Join(t.TempDir(), "graphs")
	for _, asText := range []bool{true, false} {
		name := "graph.pb"
		if asText {
			name = "graph.pbtxt"
		}
		p, err := train.WriteGraph(m.g, dir, name, asText)
		if err != nil {
			t.Fatal(err)
		}
		if p != filepath.Join(dir, name) {
			t.Errorf("WriteGraph = %q", p)
		}
	}
	text, _ := os.ReadFile(filepath.Join(dir, "graph.pbtxt"))
	bin, _ := os.ReadFile(filepath.Join(dir, "graph.pb"))
	if !bytes.Equal(protocEncode(t, "GraphDef", text), bin) {
		t.Error("graph.pbtxt does not encode to graph.pb")
	}

	for _, asText := range []bool{true, false} {
		if err := m.saver.ExportMetaGraph(filepath.Join(dir, map[bool]string{true: "m.meta.txt", false: "m.meta"}[asText]), train.AsText(asText)); err != nil {
			t.Fatal(err)
		}
	}
	text, _ = os.ReadFile(filepath.Join(dir, "m.meta.txt"))
	bin, _ = os.ReadFile(filepath.Join(dir, "m.meta"))
	if !bytes.Equal(protocEncode(t, "MetaGraphDef", text), bin) {
		t.Error("the text MetaGraphDef does not encode to the binary one")
	}

	// The package function: the same with WithSaver; without, no SaverDef.
	if err := train.ExportMetaGraph(filepath.Join(dir, "p.meta"), train.WithSaver(m.saver)); err != nil {
		t.Fatal(err)
	}
	if p, _ := os.ReadFile(filepath.Join(dir, "p.meta")); !bytes.Equal(p, bin) {
		t.Error("train.ExportMetaGraph(WithSaver(s)) differs from s.ExportMetaGraph")
	}
	defer m.g.AsDefault()()
	if err := train.ExportMetaGraph(filepath.Join(dir, "n.meta"), train.AsText(true)); err != nil {
		t.Fatal(err)
	}
	if n, _ := os.ReadFile(filepath.Join(dir, "n.meta")); bytes.Contains(n, []byte("saver_def")) || !bytes.Contains(n, []byte("graph_def {")) {
		t.Error("train.ExportMetaGraph without a saver")
	}
}
