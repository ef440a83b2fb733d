package commands

// hostViewCommands are issue 10's: the console, the host's descriptions
// and the domain views built on dumpxml.
func hostViewCommands() []*Command {
	return []*Command{
		consoleCommand(),
	}
}
