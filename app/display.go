package app

// toggleFullScreen switches the counter window to full screen and back.
func (c *Counter) toggleFullScreen() { c.win.SetFullScreen(!c.win.FullScreen()) }

// PrefContrast is the preference key of the high-contrast theme.
const PrefContrast = "high_contrast"

// toggleContrast switches the high-contrast theme (black, white, yellow,
// larger text) on and off; the choice is remembered.
func (c *Counter) toggleContrast() {
	on := !c.app.Preferences().Bool(PrefContrast)
	c.app.Preferences().SetBool(PrefContrast, on)
	c.app.Settings().SetTheme(newTheme(on))
	c.build()
}
