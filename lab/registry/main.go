// The lab's OCI registry: distribution's own registry command (what cmd/registry runs) with only the
// filesystem storage driver linked in. The upstream main also links the Azure, GCS and S3 drivers,
// whose SDKs would triple the cold build for storage the lab never uses.
package main

import (
	"os"

	"github.com/distribution/distribution/v3/registry"
	_ "github.com/distribution/distribution/v3/registry/storage/driver/filesystem"
)

func main() {
	if err := registry.RootCmd.Execute(); err != nil {
		os.Exit(1)
	}
}
