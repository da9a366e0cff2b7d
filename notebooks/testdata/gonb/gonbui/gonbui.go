// Package gonbui is the repository's stand-in for GoNB's display package
// (github.com/janpfeifer/gonb/gonbui), used by the notebook test where GoNB
// is not installed. It has the functions the notebooks call, with GoNB's
// signatures; each display is checked (a PNG must decode) and recorded, one
// line per display, in the file $GORGOFLOW_NOTEBOOK_DISPLAYS, where the test
// reads them.
package gonbui

import (
	"bytes"
	"fmt"
	"image/png"
	"os"
)

// IsNotebook is true, as in a GoNB kernel.
var IsNotebook = true

func record(kind, data string) {
	path := os.Getenv("GORGOFLOW_NOTEBOOK_DISPLAYS")
	if path == "" {
		return
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		panic(err)
	}
	defer f.Close()
	fmt.Fprintf(f, "%s %s\n", kind, data)
}

// DisplayPNG checks that png decodes and records it.
func DisplayPNG(pngBytes []byte) {
	img, err := png.Decode(bytes.NewReader(pngBytes))
	if err != nil {
		panic(fmt.Sprintf("gonbui.DisplayPNG: not a PNG: %v", err))
	}
	b := img.Bounds()
	path := os.Getenv("GORGOFLOW_NOTEBOOK_DISPLAYS")
	name := ""
	if path != "" {
		f, err := os.CreateTemp(os.Getenv("GORGOFLOW_NOTEBOOK_PNGDIR"), "display-*.png")
		if err == nil {
			f.Write(pngBytes)
			f.Close()
			name = f.Name()
		}
	}
	record("png", fmt.Sprintf("%dx%d %s", b.Dx(), b.Dy(), name))
}

// DisplayHTML records html.
func DisplayHTML(html string) { record("html", fmt.Sprintf("%d", len(html))) }

// DisplayMarkdown records markdown.
func DisplayMarkdown(markdown string) { record("markdown", fmt.Sprintf("%d", len(markdown))) }

// Sync returns once every display was delivered (at once here).
func Sync() {}
