package xmlconv

import "flag"

// update rewrites golden files instead of comparing against them:
// go test ./xmlconv -run Golden -update
var update = flag.Bool("update", false, "rewrite the golden files under testdata/")
