//go:build wayland || !(linux || freebsd || openbsd || netbsd)

package main

import (
	"image"

	"fyne.io/fyne/v2"
)

// workArea is unknown here: the window opens at its default size.
func workArea() (image.Rectangle, bool) { return image.Rectangle{}, false }

// maximise is left to the user here.
func maximise(fyne.Window) {}

// holdFullScreen is left to Fyne here.
func holdFullScreen(fyne.Window, bool) {}
