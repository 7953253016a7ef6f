// Package assets holds the files embedded in the Ghișeu binaries: the icon,
// the translations and the demo office.
package assets

import (
	"embed"
	_ "embed"
)

// Translations holds one JSON file of messages per language, and one per
// language in each part's folder (translations/site/ro.json).
//
//go:embed translations
var Translations embed.FS

// DemoOffice is the demo office's definition, see store/demo.
//
//go:embed demo/office.json
var DemoOffice []byte

// Site holds the booking site's templates (site/*.html) and its style
// sheet (site/style.css), see store/site.
//
//go:embed site
var Site embed.FS

// Icon is the application icon (PNG).
//
//go:embed icon.png
var Icon []byte
