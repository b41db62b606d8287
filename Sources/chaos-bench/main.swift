print("chaos-bench")
