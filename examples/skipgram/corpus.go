// Package skipgram holds the data side of the word2vec example of Géron's
// chapter 14 (examples/word2vec): the corpora it can train on, the
// notebook's build_dataset and generate_batch, the nearest words by cosine
// similarity, and the notebook's figure: a 2-D t-SNE (or PCA) of the
// embeddings drawn by plot_with_labels.
//
// Nothing here downloads anything. The King James Bible comes with Debian's
// bible-kjv package (apt-get install bible-kjv), whose bible program prints
// its compressed text; the Go distribution's comments and documentation are
// wherever Go is installed; any plain text file or directory of .txt files
// works too.
package skipgram

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"unicode"
)

// KJVProgram is the program of Debian's bible-kjv package that prints the
// King James Bible, and KJVAll the verse range that is the whole text.
const (
	KJVProgram = "bible"
	KJVAll     = "gen1:1-rev22:21"
)

// ReadKJV returns the lowercased words of the King James Bible (about
// 790,000), in order, without the book and chapter headings and verse
// numbers. It runs the bible program of Debian's bible-kjv package, and says
// how to install it when it is missing.
func ReadKJV() ([]string, error) {
	path, err := exec.LookPath(KJVProgram)
	if err != nil {
		return nil, fmt.Errorf("skipgram.ReadKJV: the King James Bible comes with Debian's bible-kjv package, whose %q program was not found (apt-get install bible-kjv, or run examples/word2vec/run.sh, which installs it): %v", KJVProgram, err)
	}
	// -l with a long line: one verse per line.
	cmd := exec.Command(path, "-l100000", KJVAll)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("skipgram.ReadKJV: %s %s: %v: %s", path, KJVAll, err, strings.TrimSpace(stderr.String()))
	}
	words := ParseKJV(bytes.NewReader(out))
	if len(words) < 100000 {
		return nil, fmt.Errorf("skipgram.ReadKJV: %s printed only %d words, want the whole Bible (about 790,000)", path, len(words))
	}
	return words, nil
}

// ParseKJV returns the words of the verses in the bible program's output:
// verse lines start with spaces and the verse number ("  1 In the
// beginning..."); the lines "Genesis 1" that head each chapter and the
// empty lines are left out.
func ParseKJV(r io.Reader) []string {
	var words []string
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, " ") {
			continue // a heading or an empty line
		}
		line = strings.TrimLeft(line, " 0123456789")
		words = AppendWords(words, line)
	}
	return words
}

// ReadText returns the lowercased words of a plain text file, or of the
// .txt files under a directory, in file order.
func ReadText(path string) ([]string, error) {
	var words []string
	err := filepath.WalkDir(path, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() || (p != path && filepath.Ext(p) != ".txt") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		words = AppendWords(words, string(b))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("skipgram.ReadText: %v", err)
	}
	if len(words) == 0 {
		return nil, fmt.Errorf("skipgram.ReadText: no words in %s (a text file, or a directory of .txt files)", path)
	}
	return words, nil
}

// ReadGoDocs returns the lowercased words of the comments of the .go files
// and of the text of the .html and .md files under dir (for example the Go
// distribution, runtime.GOROOT()), in file order, where a word is dropped
// when the two words before it are the same word; testdata, vendor, pkg
// and bin directories are skipped.
func ReadGoDocs(dir string) ([]string, error) {
	var words []string
	err := filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return nil // unreadable parts are skipped
		}
		if e.IsDir() {
			if name := e.Name(); name == "testdata" || name == "vendor" || name == "pkg" || name == "bin" {
				return filepath.SkipDir
			}
			return nil
		}
		ext := filepath.Ext(path)
		if ext != ".go" && ext != ".html" && ext != ".md" {
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			return nil
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			if ext == ".go" {
				i := strings.Index(line, "//")
				if i < 0 {
					continue
				}
				line = line[i+2:]
			} else {
				line = stripTags(line)
			}
			n := len(words)
			words = AppendWords(words, line)
			words = append(words[:n], dropRepeats(words[:n], words[n:])...)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("skipgram.ReadGoDocs: %v", err)
	}
	if len(words) < 1000 {
		return nil, fmt.Errorf("skipgram.ReadGoDocs: only %d words under %s: not a corpus (want the Go distribution's directory)", len(words), dir)
	}
	return words, nil
}

// dropRepeats returns the words of add without those equal to the two
// words before them (in words and add): the comments of the Go
// distribution hold hex dumps and pictures ("0x00, 0x01, ..." reads as
// thousands of "x" in a row), whose batches of one pair repeated 128 times
// make SGD(1.0) diverge.
func dropRepeats(words, add []string) []string {
	out := add[:0]
	prev := func(k int) string { // the k-th word before the next one kept
		if k <= len(out) {
			return out[len(out)-k]
		}
		if j := len(words) - (k - len(out)); j >= 0 {
			return words[j]
		}
		return ""
	}
	for _, w := range add {
		if w == prev(1) && w == prev(2) {
			continue
		}
		out = append(out, w)
	}
	return out
}

// stripTags drops <...> markup from a line of HTML.
func stripTags(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
			b.WriteByte(' ')
		case !in:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// AppendWords appends to words the lowercased words of s: the runs of
// letters, where an apostrophe between letters belongs to the word
// ("don't") and a possessive "'s" or a final apostrophe is dropped
// ("lord's" is "lord").
func AppendWords(words []string, s string) []string {
	isPart := func(r rune) bool { return unicode.IsLetter(r) || r == '\'' || r == '’' }
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !isPart(r) }) {
		w = strings.ReplaceAll(w, "’", "'")
		w = strings.Trim(w, "'")
		if lw := strings.ToLower(w); strings.HasSuffix(lw, "'s") {
			w = w[:len(w)-2]
		}
		if w == "" {
			continue
		}
		words = append(words, strings.ToLower(w))
	}
	return words
}
