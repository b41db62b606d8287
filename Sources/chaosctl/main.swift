print("chaosctl")
