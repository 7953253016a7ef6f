package main

func runGUI(args []string) int { return 0 }
