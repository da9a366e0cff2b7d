package notebooks_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
)

// maxPNG bounds each stored figure, so that the notebooks stay small.
const maxPNG = 200 << 10

// The notebooks are stored with the outputs of a run in a real GoNB kernel
// (notebooks/execute.sh), so that a reader sees the chapter's numbers and
// figures: every cell ran, in order, from the first; every cell with a body
// (%%) printed or showed something; no cell failed; the figures are there
// and small.
func TestStoredOutputs(t *testing.T) {
	for _, path := range notebookPaths(t) {
		t.Run(strings.TrimSuffix(path, ".ipynb"), func(t *testing.T) {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var nb notebook
			if err := json.Unmarshal(b, &nb); err != nil {
				t.Fatal(err)
			}
			if ks, _ := nb.Metadata["kernelspec"].(map[string]any); ks == nil || ks["name"] != "gonb" {
				t.Errorf("kernelspec %v, want GoNB's (name gonb)", nb.Metadata["kernelspec"])
			}
			figures, want := 0, 1
			for i, c := range nb.Cells {
				if c["cell_type"] != "code" {
					continue
				}
				src := cellSource(c)
				where := fmt.Sprintf("cell %d (%.40q)", i, src)
				if n, ok := c["execution_count"].(float64); !ok || int(n) != want {
					t.Errorf("%s: execution count %v, want %d: the notebook was not run start to finish", where, c["execution_count"], want)
				}
				want++
				outs, _ := c["outputs"].([]any)
				if hasBody(src) && len(outs) == 0 {
					t.Errorf("%s: no output", where)
				}
				for _, o := range outs {
					o, _ := o.(map[string]any)
					switch o["output_type"] {
					case "error":
						t.Errorf("%s: error output %v: %v", where, o["ename"], o["evalue"])
					case "stream":
						text := joinText(o["text"])
						if strings.Contains(text, "panic:") || strings.Contains(text, "goroutine ") {
							t.Errorf("%s: the run panicked:\n%s", where, text)
						}
					case "display_data", "execute_result":
						data, _ := o["data"].(map[string]any)
						if s, ok := data["image/png"]; ok {
							png, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(joinText(s), "\n", ""))
							if err != nil || !strings.HasPrefix(string(png), "\x89PNG") {
								t.Errorf("%s: a figure that is not a PNG (%v)", where, err)
							}
							if len(png) > maxPNG {
								t.Errorf("%s: a figure of %d KB, more than %d KB", where, len(png)>>10, maxPNG>>10)
							}
							figures++
						}
					}
				}
				if md, _ := c["metadata"].(map[string]any); md["execution"] != nil {
					t.Errorf("%s: timing metadata stored (execute.sh strips it: the notebooks differ from run to run only by what the cells print)", where)
				}
			}
			if figures < minFigures[path] {
				t.Errorf("%d figures stored, want at least %d", figures, minFigures[path])
			}
		})
	}
}

// hasBody reports whether a cell has a %% line (a body GoNB runs).
func hasBody(src string) bool {
	for _, line := range strings.Split(src, "\n") {
		if t := strings.TrimSpace(line); t == "%%" || strings.HasPrefix(t, "%main") {
			return true
		}
	}
	return false
}
