module chaosctl.dev/chaoscontrol

go 1.19
