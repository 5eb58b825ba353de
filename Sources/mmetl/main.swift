print("mmetl: under construction")
