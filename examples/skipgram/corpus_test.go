package skipgram

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestAppendWords(t *testing.T) {
	got := AppendWords(nil, "And GOD said, Let there be light: the LORD's house; don't 'tis 1611 Jesus' coming—now")
	want := strings.Fields("and god said let there be light the lord house don't tis jesus coming now")
	if !reflect.DeepEqual(got, want) {
		t.Errorf("words\n got  %q\n want %q", got, want)
	}
}

// kjvSample is the bible program's output with -l100000, as it prints it.
const kjvSample = `
Genesis 1

  1 In the beginning God created the heaven and the earth.
  2 And the earth was without form, and void; and darkness was upon the face of the deep.

1 Samuel 3

  10 And the LORD came, and stood, and called as at other times, Samuel, Samuel.
`

func TestParseKJV(t *testing.T) {
	got := ParseKJV(strings.NewReader(kjvSample))
	want := strings.Fields(`in the beginning god created the heaven and the earth
		and the earth was without form and void and darkness was upon the face of the deep
		and the lord came and stood and called as at other times samuel samuel`)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("words\n got  %q\n want %q", got, want)
	}
}

// TestReadKJV reads the whole Bible where Debian's bible-kjv is installed.
func TestReadKJV(t *testing.T) {
	if _, err := exec.LookPath(KJVProgram); err != nil {
		t.Skipf("Debian's bible-kjv is not installed (%v); TestParseKJV checks the parsing", err)
	}
	words, err := ReadKJV()
	if err != nil {
		t.Fatal(err)
	}
	// The King James Bible has about 790,000 words; it starts with Genesis
	// and ends with Revelation's "amen".
	if len(words) < 780000 || len(words) > 800000 {
		t.Errorf("%d words, want about 790,000", len(words))
	}
	if got := strings.Join(words[:4], " "); got != "in the beginning god" {
		t.Errorf("first words %q", got)
	}
	if got := words[len(words)-1]; got != "amen" {
		t.Errorf("last word %q", got)
	}
}

func TestReadText(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{"a.txt": "One two.", "b.txt": "Three", "c.md": "not read"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := ReadText(dir)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"one", "two", "three"}; !reflect.DeepEqual(got, want) {
		t.Errorf("directory: %q, want %q", got, want)
	}
	got, err = ReadText(filepath.Join(dir, "c.md")) // a file is read whatever its name
	if err != nil || !reflect.DeepEqual(got, []string{"not", "read"}) {
		t.Errorf("file: %q, %v", got, err)
	}
	if _, err := ReadText(filepath.Join(dir, "none.txt")); err == nil {
		t.Error("a missing file: no error")
	}
	empty := filepath.Join(dir, "empty")
	os.Mkdir(empty, 0o755)
	if _, err := ReadText(empty); err == nil || !strings.Contains(err.Error(), "no words") {
		t.Errorf("an empty directory: %v", err)
	}
}

func TestReadGoDocs(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"a.go":            "// Package a adds.\npackage a\n\nfunc F() int { return 1 } // one\n// 0x00, 0x01, 0x02, 0x03 x\n// x, y y y y\n",
		"doc.html":        "<p>Read <b>this</b></p>",
		"testdata/x.go":   "// skipped\n",
		"notes.txt":       "not read",
		"sub/README.md":   "More words",
		"vendor/v/v.go":   "// skipped too\n",
		"sub/long/big.go": "x := 2 // " + strings.Repeat("some words ", 500),
	}
	for name, text := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := ReadGoDocs(dir)
	if err != nil {
		t.Fatal(err)
	}
	// WalkDir's lexical order: a.go, doc.html, sub/README.md, sub/long/big.go;
	// a word is dropped where the two words before it are the same, across
	// lines too (the hex dump's "x").
	want := append(strings.Fields("package a adds one x x y y read this more words"), strings.Fields(strings.Repeat("some words ", 500))...)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("words %q...", got[:min(len(got), 12)])
	}
	if _, err := ReadGoDocs(t.TempDir()); err == nil || !strings.Contains(err.Error(), "not a corpus") {
		t.Errorf("an empty directory: %v", err)
	}
}

func TestNearest(t *testing.T) {
	words := []string{"UNK", "a", "b", "c", "d"}
	row := []float64{0.1, 1, -0.5, 0.7, 0.7}
	if got := Nearest(row, words, 1, 3); !reflect.DeepEqual(got, []string{"c", "d", "UNK"}) {
		t.Errorf("nearest %v", got)
	}
	if got := Nearest(row, words, -1, 10); !reflect.DeepEqual(got, []string{"a", "c", "d", "UNK", "b"}) {
		t.Errorf("nearest of all %v", got)
	}
}
