package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gorgoflow/gorgoflow/tf"
)

func TestRun(t *testing.T) {
	tf.ResetDefaultGraph()
	defer tf.ResetDefaultGraph()
	dir := filepath.Join(t.TempDir(), "my_checkpoints")
	var out strings.Builder
	if err := run(&out, dir, 700); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, want := range []string{
		"saved " + filepath.Join(dir, "model.ckpt-700") + "\n",
		"latest checkpoint: " + filepath.Join(dir, "model.ckpt-700") + "\n",
		"  weights/Adam_1   float32  [2,1]\n",
		"  global_step      int64    []\n",
		"restored at global step 700 with MSE",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	// The weights learned: y = 3x1 - 2x2 + 1.
	if !regexp.MustCompile(`weights in the checkpoint: \[\[ 2\.99\d*\]\n \[-(2\.|1\.99)`).MatchString(text) {
		t.Errorf("weights not learned:\n%s", text)
	}
	// Five checkpoints kept (max_to_keep), 200..700 saved every 100.
	idx, _ := filepath.Glob(filepath.Join(dir, "*.index"))
	if len(idx) != 5 {
		t.Errorf("%d checkpoints kept, want 5", len(idx))
	}
	if _, err := os.Stat(filepath.Join(dir, "model.ckpt-200.index")); err == nil {
		t.Error("model.ckpt-200 was not deleted")
	}
}
