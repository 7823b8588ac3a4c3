from devhealth.cli.main import main

main()
