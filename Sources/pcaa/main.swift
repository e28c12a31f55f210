print("pcaa")
