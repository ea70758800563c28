import sys

from convlab_hub.run import main

sys.exit(main())
